using System.Net.Http.Headers;
using System.Text.Json;
using CloudAge.Tools.Aws.Signing;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>Puts an image manifest into moto's ECR (PutImage), since moto has no registry to push to.</summary>
public static class MotoImages
{
    public static async Task PutAsync(Uri endpoint, string repository, string tag)
    {
        var manifest = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.docker.distribution.manifest.v2+json",
            config = new { mediaType = "application/vnd.docker.container.image.v1+json", size = 7023, digest = "sha256:" + new string('a', 64) },
            layers = Array.Empty<object>(),
        });
        var body = JsonSerializer.SerializeToUtf8Bytes(new { repositoryName = repository, imageTag = tag, imageManifest = manifest });
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.PutImage");
        var keys = await MotoServer.Session().Credentials.GetCredentialsAsync();
        await SigV4RequestSigner.SignAsync(request, keys, MotoServer.Region, "ecr", DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
