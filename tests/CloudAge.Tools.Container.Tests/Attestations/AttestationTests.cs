using System.Text;
using CloudAge.Tools.Container.Attestations;

namespace CloudAge.Tools.Container.Tests.Attestations;

public class AttestationTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset CommitTime = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Bom = Encoding.UTF8.GetBytes("""{"bomFormat":"CycloneDX","specVersion":"1.7","serialNumber":"urn:uuid:640e92fb-24b2-4034-a1f8-571be0ee5ead","version":1,"metadata":{"timestamp":"2026-12-01T11:43:52Z"},"components":[{"type":"library","name":"A","version":"1"}]}""");

    [Fact]
    public void The_sbom_serial_number_comes_from_the_digest_and_its_time_from_the_commit()
    {
        var first = Sbom.MakeReproducible(Bom, Digest, CommitTime);
        var second = Sbom.MakeReproducible(Bom.Reverse().Reverse().ToArray(), Digest, CommitTime);
        var other = Sbom.MakeReproducible(Bom, Digest.Replace("0123", "9999", StringComparison.Ordinal), CommitTime);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        AttestationDocuments.AssertValidCycloneDx(first, Digest, CommitTime, components: 1);
        Assert.DoesNotContain("640e92fb", Encoding.UTF8.GetString(first), StringComparison.Ordinal);
        Assert.Equal(1, Sbom.ComponentCount(first));
    }

    [Fact]
    public void A_document_that_is_not_cyclonedx_is_refused_with_a_sentence()
    {
        var error = Assert.Throws<ContainerException>(() => Sbom.MakeReproducible("{\"spdxVersion\":\"SPDX-2.3\"}"u8.ToArray(), Digest, CommitTime));
        Assert.Contains("not a CycloneDX JSON document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_provenance_is_an_in_toto_statement_with_an_slsa_v1_predicate_and_reads_back()
    {
        var facts = new ProvenanceFacts("registry.example/cloudage", Digest, "https://github.com/org/cloudage", new string('c', 40),
            "./build.sh PushEcr --platforms linux/amd64,linux/arm64", "https://github.com/org/cloudage/.github/workflows/build-and-push.yml@refs/heads/main", CommitTime)
        {
            Platforms = ["linux/amd64", "linux/arm64"],
        };

        var statement = Provenance.Create(facts);

        Assert.Equal(statement, Provenance.Create(facts));
        AttestationDocuments.AssertValidInTotoStatement(statement, Digest);
        var (subject, source, commit, builder, command) = Provenance.Describe(statement);
        Assert.Equal($"registry.example/cloudage@{Digest}", subject);
        Assert.Equal("git+https://github.com/org/cloudage", source);
        Assert.Equal(new string('c', 40), commit);
        Assert.Equal(facts.BuilderId, builder);
        Assert.Equal(facts.Command, command);
        Assert.Contains("\"SOURCE_DATE_EPOCH\": \"1796040000\"", Encoding.UTF8.GetString(statement), StringComparison.Ordinal);
        Assert.Equal(Provenance.PredicateType, Provenance.PredicateTypeOf(statement));
    }

    [Fact]
    public void Only_a_bare_in_toto_statement_has_a_predicate_type()
    {
        Assert.Equal("https://openvex.dev/ns/v0.2.0", Provenance.PredicateTypeOf("""{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"https://openvex.dev/ns/v0.2.0","predicate":{}}"""u8.ToArray()));
        // A DSSE envelope (in-toto's signed form) carries the statement base64-encoded in its payload.
        Assert.Null(Provenance.PredicateTypeOf("""{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}"""u8.ToArray()));
        Assert.Null(Provenance.PredicateTypeOf("not json"u8.ToArray()));
    }
}
