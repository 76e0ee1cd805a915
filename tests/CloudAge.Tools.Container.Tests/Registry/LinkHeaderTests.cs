using CloudAge.Tools.Container.Registry;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>The next page of a paged registry answer, from Link headers as RFC 8288 section 3 writes them.</summary>
public sealed class LinkHeaderTests
{
    private static readonly Uri Requested = new("https://registry.example/v2/app/referrers/sha256:abc");

    [Theory]
    [InlineData("</v2/app/referrers/sha256:abc?n=10&last=b>; rel=\"next\"", "https://registry.example/v2/app/referrers/sha256:abc?n=10&last=b")]
    [InlineData("</v2/app/referrers/sha256:abc?last=a,b>; rel=\"next\"", "https://registry.example/v2/app/referrers/sha256:abc?last=a,b")] // a comma inside the URI
    [InlineData("</first>; rel=\"prev\", </second>; rel=\"next\"", "https://registry.example/second")] // the next among others
    [InlineData("</x>; title=\"a, b; rel=next\"; rel=\"prev\", </y>; rel=next", "https://registry.example/y")] // a quoted title holding a comma and ';'
    [InlineData("</z>; REL=\"last NEXT\"", "https://registry.example/z")] // relation types are a list, compared case-insensitively
    [InlineData("<?n=10&last=c>; rel=\"next\"", "https://registry.example/v2/app/referrers/sha256:abc?n=10&last=c")] // resolved against the request
    public void The_next_link_is_found_and_resolved_against_the_request(string header, string expected)
    {
        Assert.Equal(expected, LinkHeader.Next([header], Requested)?.AbsoluteUri);
    }

    [Theory]
    [InlineData("</first>; rel=\"prev\"")]
    [InlineData("</first>; rel=\"nextpage\"")]
    [InlineData("not a link")]
    [InlineData("")]
    public void No_next_link_is_none(string header)
    {
        Assert.Null(LinkHeader.Next([header], Requested));
    }

    [Fact]
    public void Each_header_line_is_read()
    {
        Assert.Equal("https://registry.example/second", LinkHeader.Next(["</first>; rel=\"prev\"", "</second>; rel=\"next\""], Requested)?.AbsoluteUri);
    }
}
