using CloudAge.Build.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>The scripts under scripts/ are thin wrappers: they pass every input the target accepts on to ./build.sh.</summary>
public sealed class WrapperScriptTests
{
    // GetUrl reaches the cluster through --eks-cluster-name, --kubeconfig / KUBECONFIG, ~/.kube/config or the pod's
    // service account (Build.Deploy.cs ClusterAccessIsGiven, which says what to pass when none is given); the script
    // must not refuse one of them before the build is asked.
    [Theory]
    [InlineData("--kubeconfig {kubeconfig}", "")]
    [InlineData("--eks-cluster-name=cloudage", "")]
    [InlineData("", "10.100.0.1")]
    public void Get_app_url_sh_hands_any_way_of_reaching_the_cluster_to_the_build(string arguments, string kubernetesServiceHost)
    {
        var root = Directory.CreateTempSubdirectory("cloudage-wrapper-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "scripts"));
            File.Copy(Path.Combine(Prerequisites.RepositoryRoot(), "scripts", "get-app-url.sh"), Path.Combine(root, "scripts", "get-app-url.sh"));
            File.WriteAllText(Path.Combine(root, "build.sh"), "#!/usr/bin/env bash\necho \"build.sh $*\"\n");
            ProcessHelper.Run("chmod", "+x build.sh", root);
            var kubeconfig = Path.Combine(root, "kubeconfig.yaml");
            File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\n");
            var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
            arguments = arguments.Replace("{kubeconfig}", kubeconfig, StringComparison.Ordinal);

            var (exitCode, output) = ProcessHelper.Run("bash", $"scripts/get-app-url.sh {arguments}", root, new Dictionary<string, string>
            {
                ["HOME"] = home, ["KUBECONFIG"] = "", ["EKS_CLUSTER_NAME"] = "", ["KUBERNETES_SERVICE_HOST"] = kubernetesServiceHost,
            }, timeoutSeconds: 60);

            Assert.Equal((0, $"build.sh GetUrl {arguments}".TrimEnd()), (exitCode, output.Trim()));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
