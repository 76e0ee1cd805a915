using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>
/// Pod-level resources (spec.resources of the pod, KEP-2837, beta and on by default since Kubernetes 1.34): the
/// scheduler and the pod's cgroup use them, so a container need not repeat them; the API server checks them against
/// the containers' (pkg/apis/core/validation validatePodResources, validatePodResourceConsistency).
/// </summary>
public sealed class PodLevelResourceTests
{
    private const string Deployment = "k8s/deployment.yaml";
    private const string ContainerResources = "          resources:\n            requests:\n              cpu: 250m\n              memory: 512Mi\n            limits:\n              cpu: 500m\n              memory: 1Gi\n";
    private const string PodSpecStart = "      serviceAccountName: cloudage-sa\n";

    [Fact]
    public void Resources_set_for_the_whole_pod_stand_for_the_containers()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, ContainerResources, "")
            .Replace(Deployment, PodSpecStart, PodSpecStart + PodResources("250m", "512Mi", "500m", "1Gi"));

        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }

    [Fact]
    public void A_resource_the_pod_leaves_out_is_still_needed_on_the_container()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, ContainerResources, "")
            .Replace(Deployment, PodSpecStart, PodSpecStart + "      resources:\n        requests:\n          memory: 512Mi\n        limits:\n          memory: 1Gi\n");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(RuleIds.ContainerResources, finding.RuleId);
        Assert.Contains("resources.requests.cpu, resources.limits.cpu;", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    // A container's limit above the pod's: "must be less than or equal to pod limits".
    [InlineData("250m", "512Mi", "500m", "768Mi", "memory: 768Mi")]
    // The containers together request more than the pod: "must be greater than or equal to aggregate container requests".
    [InlineData("200m", "512Mi", "500m", "1Gi", "cpu: 200m")]
    // The pod's request above its own limit.
    [InlineData("250m", "2Gi", "500m", "1Gi", "memory: 2Gi")]
    public void Pod_resources_the_api_server_refuses_are_reported(string requestCpu, string requestMemory, string limitCpu, string limitMemory, string marker)
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PodSpecStart, PodSpecStart + PodResources(requestCpu, requestMemory, limitCpu, limitMemory));

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.RequestWithinLimit, repository.LineOf(Deployment, marker)), (finding.RuleId, finding.Line));
    }

    [Fact]
    public void The_containers_requests_are_summed_with_sidecars_and_named_in_kubernetes_units()
    {
        // A sidecar (an init container with restartPolicy: Always) runs beside the app: 250m + 100m and 512Mi + 128Mi.
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PodSpecStart, PodSpecStart + PodResources("300m", "1Gi", "1", "2Gi") + "      initContainers:\n        - name: proxy\n          image: busybox:1.36\n          restartPolicy: Always\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.RequestWithinLimit);

        Assert.Equal(repository.LineOf(Deployment, "cpu: 300m"), finding.Line);
        Assert.Contains("request 350m cpu together", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_level_resource_other_than_cpu_memory_or_hugepages_is_reported()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PodSpecStart, PodSpecStart + PodResources("250m", "512Mi", "500m", "1Gi") + "          ephemeral-storage: 1Gi\n");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.RequestWithinLimit, repository.LineOf(Deployment, "ephemeral-storage")), (finding.RuleId, finding.Line));
    }

    private static string PodResources(string requestCpu, string requestMemory, string limitCpu, string limitMemory) =>
        $"      resources:\n        requests:\n          cpu: {requestCpu}\n          memory: {requestMemory}\n        limits:\n          cpu: {limitCpu}\n          memory: {limitMemory}\n";
}
