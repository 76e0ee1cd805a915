using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Tests.Fixtures;
using Docker.DotNet.Models;

namespace CloudAge.Tools.Container.Tests.Pushing;

public class PushStreamTests
{
    private static JSONMessage Message(string id, string status, long current = 0, long total = 0) =>
        new() { ID = id, Status = status, Progress = new JSONProgress { Current = current, Total = total } };

    [Fact]
    public void Uploaded_bytes_are_the_most_sent_per_layer_and_existing_layers_count_nothing()
    {
        var bytes = new Dictionary<string, long>();
        var events = new List<LayerProgress>();
        var stream = new PushStream("1.0.0", new SyncProgressForTests<LayerProgress>(events.Add), bytes);

        stream.OnMessage(new JSONMessage { Status = "The push refers to repository [127.0.0.1:5000/app]" });
        stream.OnMessage(Message("aaa", "Preparing"));
        stream.OnMessage(Message("aaa", "Pushing", 100, 300));
        stream.OnMessage(Message("aaa", "Pushing", 300, 300));
        stream.OnMessage(Message("aaa", "Pushed"));
        stream.OnMessage(Message("bbb", "Layer already exists"));
        stream.OnMessage(Message("1.0.0", "1.0.0: digest: sha256:" + new string('c', 64) + " size: 528"));

        Assert.Equal(300, bytes.Values.Sum());
        Assert.Equal("sha256:" + new string('c', 64), stream.Digest);
        Assert.Equal(["Preparing", "Pushing", "Pushing", "Pushed", "Layer already exists"], events.Select(e => e.Status));
        Assert.Null(stream.Error);
    }

    [Theory]
    [InlineData("received unexpected HTTP status: 503 Service Unavailable", true)]
    [InlineData("toomanyrequests: Rate exceeded", true)]
    [InlineData("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused", true)]
    [InlineData("read tcp 127.0.0.1:4->127.0.0.1:5: read: connection reset by peer", true)]
    [InlineData("unauthorized: authentication required", false)]
    [InlineData("tag invalid: The image tag '1.0.0' already exists in the 'app' repository and cannot be overwritten because the repository is immutable.", false)]
    public void Transient_registry_errors_are_told_from_permanent_ones(string error, bool transient) =>
        Assert.Equal(transient, PushStream.IsTransient(error));
}
