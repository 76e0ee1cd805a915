using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>Probes must exist on every container and target a port the container opens.</summary>
internal static class ProbeChecks
{
    private static readonly string[] ProbeKinds = ["livenessProbe", "readinessProbe", "startupProbe"];
    private static readonly string[] Handlers = ["httpGet", "tcpSocket", "grpc", "exec"];

    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                var name = container.At("name").Text();
                var file = workload.Document.File;
                foreach (var required in ProbeKinds[..2].Where(p => container.At(p) is null))
                {
                    context.Findings.Add(file, container, RuleIds.ContainerProbes,
                        $"container {name} in {workload.Document.Describe()} has no {required}; without it Kubernetes cannot tell a hung or unready pod");
                }

                foreach (var probe in ProbeKinds.Where(p => container.At(p) is not null))
                {
                    var handlers = Handlers.Count(h => container.At(probe, h) is YamlMappingNode);
                    if (handlers != 1)
                    {
                        context.Findings.Add(file, container.Nearest(probe), RuleIds.ContainerProbes,
                            $"{probe} of container {name} needs exactly one of {string.Join(", ", Handlers)} (found {handlers}); the API server rejects it otherwise");
                    }

                    var port = container.At(probe, "httpGet", "port") ?? container.At(probe, "tcpSocket", "port") ?? container.At(probe, "grpc", "port");
                    if (port.Text() is { } value && !Ports.Declares(container, value))
                    {
                        context.Findings.Add(file, port!, RuleIds.ProbePort,
                            $"{probe} of container {name} checks port {value}, which the container does not declare in ports");
                    }
                }
            }
        }
    }
}
