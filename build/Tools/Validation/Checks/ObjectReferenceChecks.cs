using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>Names a pod refers to (ConfigMaps, Secrets, its ServiceAccount) must be defined in the same namespace.</summary>
internal static class ObjectReferenceChecks
{
    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads)
        {
            foreach (var (kind, nameNode, optional) in References(workload))
            {
                var ruleId = kind == "ConfigMap" ? RuleIds.ConfigMapRef : RuleIds.SecretRef;
                if (!optional && !context.Defines(kind, nameNode.Text(), workload.Document.Namespace))
                {
                    context.Findings.Add(workload.Document.File, nameNode, ruleId,
                        $"{workload.Document.Describe()} refers to {kind} {nameNode.Text()}, which no manifest defines in namespace {workload.Document.Namespace ?? "(none)"} (mark the reference optional: true if it may be absent)");
                }
            }

            var account = workload.PodSpec.At("serviceAccountName") ?? workload.PodSpec.At("serviceAccount");
            if (account.Text() is { } name && name != "default" && !context.Defines("ServiceAccount", name, workload.Document.Namespace))
            {
                context.Findings.Add(workload.Document.File, account!, RuleIds.ServiceAccountRef,
                    $"{workload.Document.Describe()} runs as ServiceAccount {name}, which no manifest defines in namespace {workload.Document.Namespace ?? "(none)"}");
            }
        }
    }

    private static IEnumerable<(string Kind, YamlNode Name, bool Optional)> References(Workload workload)
    {
        foreach (var container in workload.AllContainers)
        {
            foreach (var source in container.At("envFrom").Items())
            {
                if (source.At("configMapRef") is { } configMap && configMap.At("name") is { } cmName)
                {
                    yield return ("ConfigMap", cmName, configMap.At("optional").IsTrue());
                }

                if (source.At("secretRef") is { } secret && secret.At("name") is { } secretName)
                {
                    yield return ("Secret", secretName, secret.At("optional").IsTrue());
                }
            }

            foreach (var env in container.At("env").Items())
            {
                if (env.At("valueFrom", "configMapKeyRef") is { } configMap && configMap.At("name") is { } cmName)
                {
                    yield return ("ConfigMap", cmName, configMap.At("optional").IsTrue());
                }

                if (env.At("valueFrom", "secretKeyRef") is { } secret && secret.At("name") is { } secretName)
                {
                    yield return ("Secret", secretName, secret.At("optional").IsTrue());
                }
            }
        }

        foreach (var volume in workload.PodSpec.At("volumes").Items())
        {
            if (volume.At("configMap") is { } configMap && configMap.At("name") is { } cmName)
            {
                yield return ("ConfigMap", cmName, configMap.At("optional").IsTrue());
            }

            if (volume.At("secret") is { } secret && secret.At("secretName") is { } secretName)
            {
                yield return ("Secret", secretName, secret.At("optional").IsTrue());
            }
        }
    }
}
