using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>
/// A stand-in registry's answers to one blob upload, as distribution answers them (registry/handlers/blobupload.go):
/// HEAD of the blob 404, POST and PATCH 202 with the upload's Location, the closing PUT 201.
/// </summary>
internal static class BlobUploadStandIn
{
    public static async Task AnswerAsync(HttpContext context)
    {
        switch (context.Request.Method)
        {
            case "HEAD":
                context.Response.StatusCode = 404;
                break;
            case "POST" or "PATCH":
                await context.Request.Body.CopyToAsync(Stream.Null);
                context.Response.StatusCode = 202;
                context.Response.Headers.Location = "/v2/team/app/blobs/uploads/1";
                break;
            default:
                context.Response.StatusCode = 201;
                break;
        }
    }
}
