using CloudAge.Testing;
using YamlDotNet.RepresentationModel;

namespace CloudAge.App.Tests.Fixtures;

/// <summary>
/// The docker flags that run a container as k8s/deployment.yaml runs the app's container: its user and group, a
/// read-only root with the manifest's emptyDir mounts as tmpfs, the capabilities it drops, no privilege escalation,
/// its sysctls and the environment values it sets literally. Read from the manifest, so the container tests follow it.
/// </summary>
public static class PodSettings
{
    public static IReadOnlyList<string> DockerRunFlags(string? deploymentPath = null)
    {
        deploymentPath ??= Path.Combine(Prerequisites.RepositoryRoot(), "k8s", "deployment.yaml");
        var stream = new YamlStream();
        using (var reader = new StreamReader(deploymentPath))
            stream.Load(reader);
        var pod = Map(Map(Map(stream.Documents[0].RootNode, "spec"), "template"), "spec");
        var container = (YamlMappingNode)Sequence(pod, "containers")[0];
        var podSecurity = Map(pod, "securityContext");
        var security = Map(container, "securityContext");
        var flags = new List<string>();

        // A container-level value wins over the pod's (Kubernetes PodSecurityContext / SecurityContext precedence).
        var user = Scalar(security, "runAsUser") ?? Scalar(podSecurity, "runAsUser");
        var group = Scalar(security, "runAsGroup") ?? Scalar(podSecurity, "runAsGroup");
        if (user is not null)
            flags.AddRange(["--user", group is null ? user : $"{user}:{group}"]);
        if (Scalar(security, "readOnlyRootFilesystem") == "true")
        {
            flags.Add("--read-only");
            var emptyDirs = Sequence(pod, "volumes").OfType<YamlMappingNode>()
                .Where(v => v.Children.ContainsKey("emptyDir")).Select(v => Scalar(v, "name")).ToHashSet();
            foreach (var mount in Sequence(container, "volumeMounts").OfType<YamlMappingNode>().Where(m => emptyDirs.Contains(Scalar(m, "name"))))
                flags.AddRange(["--tmpfs", Scalar(mount, "mountPath")!]);
        }
        foreach (var capability in Sequence(Map(security, "capabilities"), "drop"))
            flags.AddRange(["--cap-drop", ((YamlScalarNode)capability).Value!]);
        if (Scalar(security, "allowPrivilegeEscalation") == "false")
            flags.AddRange(["--security-opt", "no-new-privileges"]);
        foreach (var sysctl in Sequence(podSecurity, "sysctls").OfType<YamlMappingNode>())
            flags.AddRange(["--sysctl", $"{Scalar(sysctl, "name")}={Scalar(sysctl, "value")}"]);
        // Only literal values: the ConfigMap's and the Secret's keys are the tests' to choose.
        foreach (var variable in Sequence(container, "env").OfType<YamlMappingNode>().Where(e => e.Children.ContainsKey("value")))
            flags.AddRange(["--env", $"{Scalar(variable, "name")}={Scalar(variable, "value")}"]);
        return flags;
    }

    /// <summary>The paths the container's probes and the Service's load balancer health check ask, by where they are set.</summary>
    public static IReadOnlyDictionary<string, string?> HealthCheckPaths()
    {
        var container = (YamlMappingNode)Sequence(Map(Map(Map(Load("deployment.yaml"), "spec"), "template"), "spec"), "containers")[0];
        return new Dictionary<string, string?>
        {
            ["deployment.yaml livenessProbe"] = Scalar(Map(Map(container, "livenessProbe"), "httpGet"), "path"),
            ["deployment.yaml readinessProbe"] = Scalar(Map(Map(container, "readinessProbe"), "httpGet"), "path"),
            ["service.yaml healthcheck-path"] = Scalar(Map(Map(Load("service.yaml"), "metadata"), "annotations"),
                "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"),
        };

        static YamlNode Load(string file)
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(Path.Combine(Prerequisites.RepositoryRoot(), "k8s", file)))
                stream.Load(reader);
            return stream.Documents[0].RootNode;
        }
    }

    private static YamlMappingNode Map(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(key, out var child) && child is YamlMappingNode found ? found : new YamlMappingNode();

    private static List<YamlNode> Sequence(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(key, out var child) && child is YamlSequenceNode found ? found.Children.ToList() : [];

    private static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(key, out var child) && child is YamlScalarNode found ? found.Value : null;
}
