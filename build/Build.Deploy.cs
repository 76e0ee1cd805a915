using CloudAge.Build.Support;
using CloudAge.Engine;
using CloudAge.Tools.Aws.Eks;
using CloudAge.Tools.GitOps.ArgoCd;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Kubernetes;
using CloudAge.Tools.GitOps.Smoke;
using k8s;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("Commit the image to deploy was built from; its tag is sha-<7 hex> as DockerBuild names it")]
    public string? Commit { get; init; }

    [Parameter("Image tag to deploy (default: sha-<7 hex> of --commit, else of HEAD)")]
    public string? ImageTag { get; init; }

    [Parameter("Image digest (sha256:...) to pin; default: artifacts/image.json when it describes the same tag")]
    public string? ImageDigest { get; init; }

    [Parameter("Image repository as the manifests name it (default: <registry>/<ecr-repository>, or the one in k8s/deployment.yaml)")]
    public string? ImageRepository { get; init; }

    [Parameter("Write tag, digest or tag-and-digest into the manifests (default: tag@digest when a digest is known)")]
    public ImageReferenceMode? ImageReference { get; init; }

    [Parameter("Let BumpTag deploy an image older than the one deployed")]
    public bool AllowRollback { get; init; }

    [Parameter("Name of the bot that commits tag bumps")]
    public string BotName { get; init; } = GitIdentity.Bot.Name;

    [Parameter("E-mail of the bot that commits tag bumps")]
    public string BotEmail { get; init; } = GitIdentity.Bot.Email;

    [Parameter("Token for pushing the tag bump over HTTPS (default: the credentials git already has)"), Secret]
    public string? GitToken { get; init; }

    [Parameter("Argo CD API server, host[:port] or URL (the argocd CLI's ARGOCD_SERVER); without it, the Kubernetes API is used")]
    public string? ArgocdServer { get; init; }

    [Parameter("Argo CD token (the argocd CLI's ARGOCD_AUTH_TOKEN)"), Secret]
    public string? ArgocdAuthToken { get; init; }

    [Parameter("Accept any TLS certificate from the Argo CD server")]
    public bool ArgocdInsecure { get; init; }

    [Parameter("Name of the Argo CD Application")]
    public string ArgocdApplication { get; init; } = "cloudage-app";

    [Parameter("How long ArgoSync waits for Synced and Healthy")]
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromMinutes(10);

    [Parameter("Kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)")]
    public string? Kubeconfig { get; init; }

    [Parameter("EKS cluster name: reach the cluster with AWS credentials instead of a kubeconfig")]
    public string? EksClusterName { get; init; }

    [Parameter("Namespace of the CloudAge Deployment and Service")]
    public string KubernetesNamespace { get; init; } = "cloudage";

    [Parameter("How long GetUrl waits for the rollout, and then for the load balancer")]
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(10);

    string? _deployedRevision;

    // Checked before BumpTag pushes anything: a sync that cannot authenticate must not follow a pushed tag bump.
    bool ArgocdAuthTokenIsSetWhenArgocdServerIs => ArgocdServer is null || ArgocdAuthToken is { Length: > 0 };

    string DeployTag => ImageTag ?? $"sha-{(Commit ?? CommitSha)[..7]}";

    Target BumpTag => _ => _
        .Description("Commits the new image to k8s/ ([skip ci]) and pushes; replays on a rejected push, never force-pushes; --dry-run shows the diff")
        .SupportsDryRun()
        .Executes(async cancellationToken =>
        {
            var target = new ImageTarget(await ManifestImageRepository(cancellationToken), DeployTag, DeployDigest()) { Mode = ImageReference };
            if (GitToken is { Length: > 0 })
                Secrets.Add(GitToken);
            var request = new WriteBackRequest(RootDirectory, DefaultBranch, target)
            {
                Identity = new GitIdentity(BotName, BotEmail),
                Token = GitToken,
                ImageCommit = Commit,
                AllowRollback = AllowRollback,
                DryRun = IsDryRun,
            };
            var result = await new TagWriteBack(Processes, Log.Information).RunAsync(request, cancellationToken);
            _deployedRevision = result.CommitSha;
            Log.Information(result.Outcome switch
            {
                WriteBackOutcome.Pushed => $"Pushed {result.CommitSha} deploying {target.Reference} after {result.Retries} retr{(result.Retries == 1 ? "y" : "ies")}.",
                WriteBackOutcome.AlreadyDeployed => $"{target.Reference} is already in the manifests: nothing to commit.",
                _ => "Dry run: this is the change BumpTag would commit:\n" + result.Diff,
            });
            if (result.CommitSha is not null)
                SetOutput("deployed-revision", result.CommitSha);
        });

    Target ArgoSync => _ => _
        .Description("Refreshes and syncs the Argo CD Application to the bumped revision, then waits for Synced and Healthy")
        .DependsOn(BumpTag)
        .Requires(() => ArgocdAuthTokenIsSetWhenArgocdServerIs)
        .Executes(async cancellationToken =>
        {
            var revision = _deployedRevision ?? (await Processes.RunAsync(new("git", ["rev-parse", "HEAD"]) { WorkingDirectory = RootDirectory, StreamOutput = false }, cancellationToken)).StandardOutput.Trim();
            using var rest = ArgocdServer is null ? null : new ArgoRestApi(new ArgoServerOptions(ArgocdServer, ArgocdAuthToken!) { Insecure = ArgocdInsecure }, Secrets, Log.Information);
            IArgoApplicationApi api = rest is not null ? rest : new ArgoKubernetesApi(await ConnectCluster(cancellationToken), Secrets, Log.Information);
            var result = await new ArgoSyncer(api, Log.Information).SyncAsync(new ArgoSyncRequest(ArgocdApplication, revision) { Timeout = SyncTimeout }, cancellationToken);
            Log.Information($"{result.Application} is Synced at {result.Revision[..Math.Min(12, result.Revision.Length)]} and Healthy after {result.Elapsed.TotalSeconds:0} s.");
        });

    Target GetUrl => _ => _
        .Description("Waits for the rollout and the load balancer, smoke-checks GET /, prints the URL (output app-url)")
        .After(ArgoSync)
        .Executes(async cancellationToken =>
        {
            var cluster = await ConnectCluster(cancellationToken);
            var waiter = new KubernetesWaiter(cluster, Secrets, Log.Information);
            var wait = new WaitOptions { Timeout = RolloutTimeout };
            await waiter.WaitForRolloutAsync(KubernetesNamespace, "cloudage", wait, cancellationToken);
            var address = await waiter.WaitForLoadBalancerAsync(KubernetesNamespace, "cloudage", wait, cancellationToken);
            using var smoke = new SmokeChecker(Log.Information);
            // The app reports the commit it was built from; that is what was just deployed (the version is derived from it).
            var checkResult = await smoke.CheckAsync(new SmokeCheckRequest(address.Url) { ExpectedCommit = Commit ?? DeployTag.Replace("sha-", "", StringComparison.Ordinal) }, cancellationToken);
            Log.Information($"CloudAge answers at {checkResult.Url} (version {checkResult.Version ?? "not reported"}).");
            SetOutput("app-url", checkResult.Url.ToString());
        });

    Target Deploy => _ => _
        .Description("BumpTag -> ArgoSync -> GetUrl for the image built from --commit (or HEAD)")
        .DependsOn(BumpTag, ArgoSync, GetUrl);

    string? DeployDigest()
    {
        if (ImageDigest is not null)
            return ImageDigest;
        var image = ImageArtifact.Read(ImageArtifactFile);
        return image is not null && image.Tags.Contains(DeployTag) ? image.Digest : null;
    }

    async Task<string> ManifestImageRepository(CancellationToken cancellationToken)
    {
        if (ImageRepository is not null)
            return ImageRepository;
        if (Registry is not null)
            return $"{Registry}/{Repository}";
        // The manifests already name the repository (the user set the account and region once); find it there.
        var deployment = await File.ReadAllTextAsync(RootDirectory / "k8s" / "deployment.yaml", cancellationToken);
        var line = deployment.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("image:", StringComparison.Ordinal) && l.Contains("/" + Repository, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"k8s/deployment.yaml names no image of repository '{Repository}'; pass --image-repository <registry>/{Repository}.");
        var reference = line["image:".Length..].Trim().Trim('"', '\'');
        return reference[..reference.IndexOf(':', reference.IndexOf('/', StringComparison.Ordinal))];
    }

    async Task<IKubernetes> ConnectCluster(CancellationToken cancellationToken)
    {
        if (EksClusterName is null)
        {
            return Kubeconfig is null && EnvironmentVariables.ContainsKey("KUBERNETES_SERVICE_HOST")
                ? KubernetesClients.InCluster()
                : KubernetesClients.FromKubeconfig(Kubeconfig);
        }
        var session = await ResolveAws(cancellationToken);
        var cluster = await new EksClusterClient(Secrets).DescribeAsync(session, EksClusterName, cancellationToken: cancellationToken);
        var tokens = new EksTokenGenerator(Secrets);
        return KubernetesClients.FromEndpoint(new ClusterEndpoint(cluster.Endpoint, cluster.CertificateAuthorityData),
            async _ => (await tokens.GenerateAsync(session, EksClusterName)).Token, Secrets);
    }
}
