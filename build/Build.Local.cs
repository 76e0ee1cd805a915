using CloudAge.Common.Processes;
using CloudAge.Engine;
using CloudAge.Tools.GitOps.Smoke;

namespace CloudAge.Build;

// Targets behind scripts/build-local.sh and scripts/deploy-local.sh: the image on a laptop, without AWS.
public sealed partial class Build
{
    [Parameter("Host port RunLocal publishes the container's port 80 on")]
    [Between(1, 65535)]
    public int LocalPort { get; init; } = 8080;

    Target RunLocal => _ => _
        .Description("Runs the built image on 127.0.0.1:<local-port> and smoke-checks GET / (stop it with docker rm -f cloudage-local)")
        .DependsOn(DockerBuild)
        .Executes(async cancellationToken =>
        {
            await Docker(["rm", "-f", "cloudage-local"], throwOnFailure: false);
            await Docker(["run", "-d", "--name", "cloudage-local", "--sysctl", "net.ipv4.ip_unprivileged_port_start=0",
                "-p", $"127.0.0.1:{LocalPort}:80", "-e", "AWS_REGION=us-east-1", LocalImage]);
            using var smoke = new SmokeChecker(Log.Information);
            var result = await smoke.CheckAsync(new SmokeCheckRequest(new Uri($"http://127.0.0.1:{LocalPort}/")) { ExpectedVersion = AppVersion, Timeout = TimeSpan.FromSeconds(60) }, cancellationToken);
            Log.Information($"CloudAge runs at {result.Url} (container cloudage-local, image {LocalImage}).");
            SetOutput("app-url", result.Url.ToString());
        });

    Target DeployLocal => _ => _
        .Description("Validates, loads the built image into the current kind or minikube cluster and applies k8s/ with it")
        .DependsOn(Validate, DockerBuild)
        .Executes(async () =>
        {
            var context = (await Kubectl(["config", "current-context"])).StandardOutput.Trim();
            if (context.StartsWith("kind-", StringComparison.Ordinal))
                await Run("kind", ["load", "docker-image", LocalImage, "--name", context["kind-".Length..]]);
            else if (context == "minikube")
                await Run("minikube", ["image", "load", LocalImage]);
            else
                throw new InvalidOperationException($"The current kubectl context is '{context}', not a kind or minikube cluster; switch with kubectl config use-context, or deploy with ./build.sh Deploy.");
            await Kubectl(["apply", "-k", RootDirectory / "k8s"]);
            await Kubectl(["-n", KubernetesNamespace, "set", "image", "deployment/cloudage", $"cloudage={LocalImage}"]);
            await Kubectl(["-n", KubernetesNamespace, "rollout", "status", "deployment/cloudage", "--timeout=300s"]);
        });

    Task<ProcessResult> Docker(string[] arguments, bool throwOnFailure = true) =>
        Processes.RunAsync(new ProcessSpec("docker", arguments) { ThrowOnFailure = throwOnFailure, Timeout = TimeSpan.FromMinutes(2) });

    Task<ProcessResult> Kubectl(string[] arguments) => Run("kubectl", arguments);

    Task<ProcessResult> Run(string program, string[] arguments) =>
        Processes.RunAsync(new ProcessSpec(program, arguments) { WorkingDirectory = RootDirectory, Timeout = TimeSpan.FromMinutes(10) });
}
