using CloudAge.Common.Yaml;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// The Pod Security Standards "restricted" profile (which includes "baseline"), one rule id per control, as the
/// Pod Security admission controller checks it: kubernetes.io/docs/concepts/security/pod-security-standards and
/// kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_*.go. Pod-level settings apply to
/// every container that does not set its own (runAsNonRoot, seccomp); containers, init containers and ephemeral
/// containers are all checked. Pods with spec.os.name: windows are exempt from the Linux-only controls, as there.
/// </summary>
internal static class PodSecurityChecks
{
    private const string Restricted = "the Pod Security Standards \"restricted\" profile";

    private static readonly string[] HostNamespaces = ["hostNetwork", "hostPID", "hostIPC"];
    private static readonly string[] SeLinuxIdentity = ["user", "role"];

    // check_hostProbesAndhostLifecycle.go (baseline, Kubernetes 1.34+, KEP-4940): the handlers whose httpGet.host and
    // tcpSocket.host must be empty or unset; released versions allow no other value.
    private static readonly string[][] HostFields =
    [
        .. new[] { "livenessProbe", "readinessProbe", "startupProbe", "lifecycle.postStart", "lifecycle.preStop" }
            .SelectMany(handler => new[] { "httpGet", "tcpSocket" }.Select(action => $"{handler}.{action}.host".Split('.'))),
    ];

    // check_sysctls.go: the safe set, as of Kubernetes 1.32 (tcp_rmem/tcp_wmem added in 1.32, keepalive and fin_timeout in 1.29).
    private static readonly HashSet<string> SafeSysctls = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
    };

    // check_restrictedVolumes.go.
    private static readonly HashSet<string> AllowedVolumeTypes = new(StringComparer.Ordinal)
    {
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    };

    // check_seLinuxOptions.go.
    private static readonly HashSet<string> AllowedSeLinuxTypes = new(StringComparer.Ordinal)
    {
        "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t",
    };

    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads)
        {
            new Pod(workload, context.Findings).Check();
        }
    }

    private sealed class Pod(Workload workload, FindingList findings)
    {
        private readonly YamlNode spec = workload.PodSpec;
        private readonly YamlNode? podContext = workload.PodSpec.At("securityContext");
        private readonly bool windows = workload.PodSpec.At("os", "name").Text() == "windows";

        public void Check()
        {
            CheckPodLevel();
            foreach (var (what, container) in workload.SecurityContainers)
            {
                CheckContainer($"{what} {container.At("name").Text() ?? "(unnamed)"}", container);
            }
        }

        private void CheckPodLevel()
        {
            foreach (var field in HostNamespaces.Where(f => spec.At(f).IsTrue()))
            {
                Report(spec.KeyOf(field)!, RuleIds.PssHostNamespaces, $"sets {field}: true, sharing the node's namespaces");
            }

            if (podContext.At("windowsOptions", "hostProcess").IsTrue())
            {
                Report(podContext.At("windowsOptions", "hostProcess")!, RuleIds.PssHostProcess, "runs as a Windows HostProcess pod, with full access to the node");
            }

            if (podContext.At("runAsNonRoot") is { } nonRoot && !nonRoot.IsTrue())
            {
                Report(nonRoot, RuleIds.PssRunAsNonRoot, "sets securityContext.runAsNonRoot to something other than true");
            }

            if (podContext.At("runAsUser").Integer() == 0)
            {
                Report(podContext.At("runAsUser")!, RuleIds.PssRunAsUser, "sets securityContext.runAsUser: 0 (root)");
            }

            CheckSeLinux(podContext, "the pod");
            CheckAppArmorProfile(podContext, "the pod");
            if (!windows && podContext.At("seccompProfile", "type") is { } seccomp && !IsConfinedSeccomp(seccomp.Text()))
            {
                Report(seccomp, RuleIds.PssSeccomp, $"sets seccompProfile.type {seccomp.Text()}; use RuntimeDefault or Localhost");
            }

            foreach (var sysctl in podContext.At("sysctls").Items())
            {
                if (sysctl.At("name").Text() is { } name && !SafeSysctls.Contains(name))
                {
                    Report(sysctl.At("name")!, RuleIds.PssSysctls, $"sets sysctl {name}, which is not in the safe set ({string.Join(", ", SafeSysctls)})");
                }
            }

            foreach (var volume in spec.At("volumes").Items())
            {
                var name = volume.At("name").Text();
                foreach (var (type, _) in volume.Entries().Where(e => e.Key != "name"))
                {
                    if (type == "hostPath")
                    {
                        Report(volume.KeyOf(type)!, RuleIds.PssHostPath, $"mounts volume {name} from the node (hostPath)");
                    }
                    else if (!AllowedVolumeTypes.Contains(type))
                    {
                        Report(volume.KeyOf(type)!, RuleIds.PssVolumeTypes,
                            $"uses volume type {type} for volume {name}; allowed are {string.Join(", ", AllowedVolumeTypes)} (other storage comes through a persistentVolumeClaim)");
                    }
                }
            }

            foreach (var (key, value) in workload.PodMetadata.At("annotations").Entries())
            {
                if (key.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal)
                    && value.Text() is { } profile && profile != "runtime/default" && !profile.StartsWith("localhost/", StringComparison.Ordinal))
                {
                    Report(value, RuleIds.PssAppArmor, $"sets AppArmor profile {profile} through annotation {key}; use runtime/default or localhost/<profile>");
                }
            }
        }

        private void CheckContainer(string who, YamlNode container)
        {
            var context = container.At("securityContext");
            var at = (YamlNode?)container.KeyOf("securityContext") ?? container;
            if (context.At("privileged").IsTrue())
            {
                Report(context.At("privileged")!, RuleIds.PssPrivileged, $"runs {who} privileged");
            }

            if (context.At("windowsOptions", "hostProcess").IsTrue())
            {
                Report(context.At("windowsOptions", "hostProcess")!, RuleIds.PssHostProcess, $"runs {who} as a Windows HostProcess container");
            }

            foreach (var port in container.At("ports").Items())
            {
                if (port.At("hostPort") is { } hostPort && hostPort.Integer() is not (null or 0))
                {
                    Report(hostPort, RuleIds.PssHostPorts, $"binds {who} to hostPort {hostPort.Text()} on the node; expose it through a Service");
                }
            }

            foreach (var field in HostFields)
            {
                // A plain null (host: null, host: ~) is no host: the API server decodes it as the field unset.
                if (container.At(field) is YamlScalarNode host && !string.IsNullOrEmpty(host.Text())
                    && !(host.Style == YamlDotNet.Core.ScalarStyle.Plain && GoYamlScalar.Resolve(host.Value!) == JsonScalar.Null))
                {
                    Report(host, RuleIds.PssProbeHost, $"sets {string.Join('.', field)}: {host.Text()} on {who}; remove it, so the kubelet targets the pod's own IP");
                }
            }

            if (context.At("procMount") is { } procMount && procMount.Text() is not (null or "Default"))
            {
                Report(procMount, RuleIds.PssProcMount, $"sets procMount {procMount.Text()} on {who}; only Default is allowed");
            }

            CheckSeLinux(context, who);
            CheckAppArmorProfile(context, who);
            CheckRunAsNonRoot(who, context, at);
            if (context.At("runAsUser").Integer() == 0)
            {
                Report(context.At("runAsUser")!, RuleIds.PssRunAsUser, $"runs {who} with runAsUser: 0 (root)");
            }

            if (windows)
            {
                return;
            }

            if (context.At("allowPrivilegeEscalation") is not { } escalation || escalation.Text() != "false")
            {
                Report((YamlNode?)context.At("allowPrivilegeEscalation") ?? at, RuleIds.PssPrivilegeEscalation,
                    $"does not set allowPrivilegeEscalation: false on {who} (unset means allowed)");
            }

            CheckCapabilities(who, context, at);
            var seccomp = context.At("seccompProfile", "type");
            if (seccomp is not null && !IsConfinedSeccomp(seccomp.Text()))
            {
                Report(seccomp, RuleIds.PssSeccomp, $"sets seccompProfile.type {seccomp.Text()} on {who}; use RuntimeDefault or Localhost");
            }
            else if (seccomp is null && !IsConfinedSeccomp(podContext.At("seccompProfile", "type").Text()))
            {
                Report(at, RuleIds.PssSeccomp, $"sets no seccompProfile for {who}, and the pod sets none either; set securityContext.seccompProfile.type: RuntimeDefault on the pod");
            }
        }

        private void CheckRunAsNonRoot(string who, YamlNode? context, YamlNode at)
        {
            var own = context.At("runAsNonRoot");
            if (own is not null && !own.IsTrue())
            {
                Report(own, RuleIds.PssRunAsNonRoot, $"sets runAsNonRoot to something other than true on {who}");
            }
            else if (own is null && !podContext.At("runAsNonRoot").IsTrue())
            {
                Report(at, RuleIds.PssRunAsNonRoot, $"does not require {who} to run as non-root: set securityContext.runAsNonRoot: true on the pod or the container");
            }
        }

        private void CheckCapabilities(string who, YamlNode? context, YamlNode at)
        {
            foreach (var added in context.At("capabilities", "add").Items())
            {
                if (added.Text() != "NET_BIND_SERVICE")
                {
                    Report(added, RuleIds.PssCapabilities, $"adds capability {added.Text()} to {who}; only NET_BIND_SERVICE may be added");
                }
            }

            if (!context.At("capabilities", "drop").Items().Any(d => d.Text() == "ALL"))
            {
                Report(context.KeyOf("capabilities") ?? at, RuleIds.PssCapabilities, $"does not drop ALL capabilities from {who} (capabilities.drop: [ALL])");
            }
        }

        private void CheckSeLinux(YamlNode? context, string who)
        {
            var options = context.At("seLinuxOptions");
            if (options.At("type") is { } type && !AllowedSeLinuxTypes.Contains(type.Text() ?? ""))
            {
                Report(type, RuleIds.PssSeLinux, $"sets SELinux type {type.Text()} for {who}; allowed are container_t, container_init_t, container_kvm_t, container_engine_t");
            }

            foreach (var field in SeLinuxIdentity)
            {
                if (options.At(field) is { } value && !string.IsNullOrEmpty(value.Text()))
                {
                    Report(value, RuleIds.PssSeLinux, $"sets a custom SELinux {field} for {who}");
                }
            }
        }

        private void CheckAppArmorProfile(YamlNode? context, string who)
        {
            if (context.At("appArmorProfile", "type") is { } type && type.Text() is not ("RuntimeDefault" or "Localhost"))
            {
                Report(type, RuleIds.PssAppArmor, $"sets appArmorProfile.type {type.Text()} for {who}; use RuntimeDefault or Localhost");
            }
        }

        private static bool IsConfinedSeccomp(string? type) => type is "RuntimeDefault" or "Localhost";

        private void Report(YamlNode at, string ruleId, string problem) =>
            findings.Add(workload.Document.File, at, ruleId, $"{workload.Document.Describe()} {problem} ({Restricted})");
    }
}
