using CloudAge.Build.Support;
using CloudAge.Engine;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Eks;
using CloudAge.Tools.Aws.Transport;
using CloudAge.Tools.Container.Registry;
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
    [Pattern("[0-9a-fA-F]{7,40}", "a commit sha of 7 to 40 hex digits, such as 3f2a9c1")]
    public string? Commit { get; init; }

    [Parameter("Image tag to deploy (default: sha-<7 hex> of --commit, else of HEAD)")]
    [Pattern("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", "an image tag of letters, digits, '_', '.' and '-' (at most 128), such as sha-3f2a9c1")]
    public string? ImageTag { get; init; }

    [Parameter("Image digest (sha256:...) to pin; default: artifacts/image.json when it describes the same tag")]
    [Pattern("sha256:[0-9a-f]{64}", "sha256: and 64 lower-case hex digits, such as sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public string? ImageDigest { get; init; }

    [Parameter("Image repository as the manifests name it (default: where PushEcr pushed this tag, from artifacts/image.json; else <registry>/<ecr-repository>; else the one in k8s/deployment.yaml)")]
    // The reference grammar of distribution (reference/regexp.go): host[:port]/path, path components lower-case.
    [Pattern(@"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)+",
        "<registry>/<name> without tag or digest, such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage")]
    public string? ImageRepository { get; init; }

    [Parameter("Write tag, digest or tag-and-digest into the manifests (default: tag@digest when a digest is known)")]
    public ImageReferenceMode? ImageReference { get; init; }

    [Parameter("Let BumpTag deploy an image older than the one deployed")]
    public bool AllowRollback { get; init; }

    [Parameter("Name of the bot that commits tag bumps")]
    // git refuses an empty or all-space name, and '<', '>' or a line break would forge the commit's author line.
    [Pattern(@"[^<>\p{Cc}]*[^<>\p{Cc}\s][^<>\p{Cc}]*", "a name without '<', '>' or control characters, such as cloudage-bot")]
    public string BotName { get; init; } = GitIdentity.Bot.Name;

    [Parameter("E-mail of the bot that commits tag bumps")]
    [Pattern(@"[^@<>\s\p{Cc}]+@[^@<>\s\p{Cc}]+", "an address such as cloudage-bot@users.noreply.github.com")]
    public string BotEmail { get; init; } = GitIdentity.Bot.Email;

    [Parameter("Token for git over HTTPS: BumpTag's push, ArgoSync's read of the deployed branch (default: the credentials git already has)"), Secret]
    public string? GitToken { get; init; }

    [Parameter("Argo CD API server, host[:port] or URL (the argocd CLI's ARGOCD_SERVER); without it, the Kubernetes API is used")]
    public string? ArgocdServer { get; init; }

    [Parameter("Argo CD token (the argocd CLI's ARGOCD_AUTH_TOKEN)"), Secret]
    public string? ArgocdAuthToken { get; init; }

    [Parameter("Accept any TLS certificate from the Argo CD server")]
    public bool ArgocdInsecure { get; init; }

    [Parameter("Allow an http:// Argo CD server (the token then travels in clear), as the argocd CLI's --plaintext")]
    public bool ArgocdPlaintext { get; init; }

    [Parameter("Name of the Argo CD Application")]
    [Pattern("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?", "a lower-case Kubernetes object name, such as cloudage-app")]
    public string ArgocdApplication { get; init; } = "cloudage-app";

    [Parameter("How long ArgoSync waits for Synced and Healthy")]
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromMinutes(10);

    [Parameter("Kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)")]
    public string? Kubeconfig { get; init; }

    [Parameter("EKS cluster name: reach the cluster with AWS credentials instead of a kubeconfig")]
    [Pattern("[0-9A-Za-z][A-Za-z0-9_-]{0,99}", "an EKS cluster name of letters, digits, '-' and '_', such as cloudage-prod")]
    public string? EksClusterName { get; init; }

    [Parameter("Namespace of the CloudAge Deployment and Service")]
    [Pattern("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", "a lower-case namespace name of at most 63 characters, such as cloudage")]
    public string KubernetesNamespace { get; init; } = "cloudage";

    [Parameter("How long GetUrl waits in all: the rollout, the load balancer and the smoke check")]
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(10);

    string? _deployedRevision;

    // Checked before BumpTag pushes anything: a sync that cannot reach or authenticate to Argo CD must not follow a
    // pushed tag bump. Without --argocd-server the sync goes through the Kubernetes API and needs neither.
    bool ArgocdInputsAreValid()
    {
        if (ArgocdServer is null)
            return ClusterAccessIsGiven();
        // Its InputException is a bad value as a UsageException is: exit 2, the sentence as it stands.
        new ArgoServerOptions(ArgocdServer, ArgocdAuthToken ?? "") { Plaintext = ArgocdPlaintext }.Validate();
        if (ArgocdAuthToken is not { Length: > 0 })
            throw new UsageException($"{ParameterSourceOf(nameof(ArgocdServer))} is given but no Argo CD token: set ARGOCD_AUTH_TOKEN (for example from 'argocd account generate-token --account cloudage-ci'), or leave it out to sync through the Kubernetes API.");
        return true;
    }

    // The Kubernetes API is reached through EKS (--eks-cluster-name), a kubeconfig (--kubeconfig or KUBECONFIG, else
    // ~/.kube/config) or the pod's service account; with none of them, say so before any target runs.
    bool ClusterAccessIsGiven()
    {
        // A kubeconfig that cannot be read is a bad value, found here and not after BumpTag has pushed.
        if (EksClusterName is null && Kubeconfig is not null && KubernetesClients.KubeconfigProblem(Kubeconfig) is { } problem)
            throw new UsageException($"{ParameterSourceOf(nameof(Kubeconfig))} {problem}; give the path of a kubeconfig file, e.g. --kubeconfig ~/.kube/config " +
                "(KUBECONFIG may list several, separated by ':'), or pass --eks-cluster-name instead.");
        if (EksClusterName is not null || Kubeconfig is not null || EnvironmentVariables.ContainsKey("KUBERNETES_SERVICE_HOST"))
            return true;
        var home = EnvironmentVariables.GetValueOrDefault("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (File.Exists(Path.Combine(home, ".kube", "config")))
            return true;
        throw new UsageException("No way to reach the cluster: pass --eks-cluster-name <cluster> (with AWS credentials), or --kubeconfig <file> (or set KUBECONFIG), " +
            "or create ~/.kube/config with 'aws eks update-kubeconfig --name <cluster>'.");
    }

    // Each git command that talks to the remote (WriteBackRequest's default).
    static TimeSpan GitCommandTimeout => GitNetwork.CommandTimeout;

    string DeployTag => ImageTag ?? $"sha-{(Commit ?? CommitSha)[..7]}";

    Target BumpTag => _ => _
        .Description("Commits the new image to k8s/ ([skip ci]) and pushes; replays on a rejected push, never force-pushes; --dry-run shows the diff")
        .SupportsDryRun()
        .Executes(async cancellationToken =>
        {
            var repository = ManifestImageRepository();
            var digest = await DeployDigest(repository, cancellationToken);
            var mode = ImageReference;
            if (digest is null && mode is ImageReferenceMode.Digest or ImageReferenceMode.TagAndDigest)
            {
                // Only a dry run gets here: outside one, a tag the registry cannot name a digest for is refused above.
                Log.Information($"warning: --image-reference {mode} needs the image's digest, which the dry run could not learn; the diff shows the tag alone. " +
                    "Pass --image-digest sha256:<64 hex> to see the pinned reference.");
                mode = ImageReferenceMode.Tag;
            }
            var target = new ImageTarget(repository, DeployTag, digest) { Mode = mode };
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
            // Already deployed: the remote head that holds the image is what Argo CD must be at.
            _deployedRevision = result.CommitSha ?? result.RemoteHead;
            // TagWriteBack has said what it did (pushed, already deployed, each replay, or the dry run's diff): not said a second time.
            if (result.CommitSha is not null)
                SetOutput("deployed-revision", result.CommitSha);
        });

    Target ArgoSync => _ => _
        .Description("Refreshes the Argo CD Application, lets auto-sync deploy the bump (or syncs a manual app to it), waits for Synced and Healthy")
        .DependsOn(BumpTag)
        .Requires(() => ArgocdInputsAreValid())
        .Executes(async cancellationToken =>
        {
            // Without BumpTag in this run: the head of the deployed branch on the remote, never the checkout's HEAD (on a
            // laptop that may be a feature branch Argo CD never sees).
            var revision = _deployedRevision ?? await GitRemote.HeadAsync(Processes, RootDirectory, DefaultBranch, GitToken, GitCommandTimeout, Log.Information, cancellationToken);
            using var rest = ArgocdServer is null ? null : new ArgoRestApi(new ArgoServerOptions(ArgocdServer, ArgocdAuthToken!) { Insecure = ArgocdInsecure, Plaintext = ArgocdPlaintext }, Secrets, Log.Information);
            IArgoApplicationApi api = rest is not null ? rest : new ArgoKubernetesApi(await ConnectCluster(cancellationToken), Secrets, Log.Information);
            // Under auto-sync, Argo CD may land on a later commit of the branch that contains ours: git orders them.
            var ancestry = new GitAncestry(Processes, RootDirectory, DefaultBranch, Log.Information, token: GitToken, timeout: GitCommandTimeout);
            var result = await new ArgoSyncer(api, Log.Information).SyncAsync(
                new ArgoSyncRequest(ArgocdApplication, revision) { Timeout = SyncTimeout, Contains = ancestry.ContainsAsync }, cancellationToken);
            Log.Information($"{result.Application} is Synced at {result.Revision[..Math.Min(12, result.Revision.Length)]} and Healthy after {result.Elapsed.TotalSeconds:0} s.");
        });

    Target GetUrl => _ => _
        .Description("Waits for the rollout and the load balancer, smoke-checks GET /, prints the URL (output app-url)")
        .After(ArgoSync)
        .Requires(() => ClusterAccessIsGiven())
        .Executes(async cancellationToken =>
        {
            var cluster = await ConnectCluster(cancellationToken);
            var waiter = new KubernetesWaiter(cluster, Secrets, Log.Information);
            using var smoke = new SmokeChecker(Log.Information);
            // The commit of the image being deployed: --commit, else the sha- tag of --image-tag, else the tag of the image the
            // live Deployment runs. Never HEAD: after a Deploy from a laptop HEAD is the bot's tag-bump commit.
            var expected = Commit ?? ImageCommit.FromTag(ImageTag);
            var checkResult = await new AppUrlWaiter(waiter, smoke, Log.Information).WaitAsync(
                new AppUrlRequest(KubernetesNamespace, "cloudage", "cloudage") { ExpectedCommit = expected, Timeout = RolloutTimeout }, cancellationToken);
            Log.Information($"CloudAge answers at {checkResult.Url} (version {checkResult.Version ?? "not reported"}).");
            SetOutput("app-url", checkResult.Url.ToString());
        });

    Target Deploy => _ => _
        .Description("BumpTag -> ArgoSync -> GetUrl for the image built from --commit (or HEAD)")
        .DependsOn(BumpTag, ArgoSync, GetUrl);

    /// <summary>The digest to pin: --image-digest, else artifacts/image.json when it describes this tag, else the registry's answer
    /// (a fresh CI runner has no artifacts). A tag the registry does not have is refused before anything is committed.</summary>
    async Task<string?> DeployDigest(string repository, CancellationToken cancellationToken)
    {
        if (ImageDigest is not null)
            return ImageDigest;
        var image = ImageArtifact.Read(ImageArtifactFile);
        if (image is not null && image.Tags.Contains(DeployTag))
            return image.Digest;
        if (ImageReference == ImageReferenceMode.Tag)
            return null;
        var host = repository.Split('/')[0];
        var lookup = new ImageDigestLookup(ConnectEcr,
            registry => new RegistryClient(registry, RegistryUsername is null ? null : new RegistryCredentials(RegistryUsername, RegistryPassword ?? ""), Secrets, Log.Information),
            Log.Information);
        return await lookup.ResolveAsync(repository, DeployTag, IsEcrRegistry(host), IsDryRun, cancellationToken);
    }

    // The manifests already name the repository (the user set the account and region once): parse them and take the
    // image of the container named cloudage (else the one image of the ECR repository).
    string ManifestImageRepository() =>
        DeployRepository.Choose(ImageRepository, ImageArtifact.Read(ImageArtifactFile), DeployTag, Registry, Repository,
            () => ImageEditor.FindRepository(ManifestFiles.Read(RootDirectory, "k8s"), "cloudage", Repository));

    async Task<IKubernetes> ConnectCluster(CancellationToken cancellationToken)
    {
        if (EksClusterName is null)
        {
            return Kubeconfig is null && EnvironmentVariables.ContainsKey("KUBERNETES_SERVICE_HOST")
                ? KubernetesClients.InCluster()
                : KubernetesClients.FromKubeconfig(Kubeconfig);
        }
        var session = await ResolveAws(cancellationToken);
        var cluster = await new EksClusterClient(Secrets).DescribeAsync(session, EksClusterName, AwsApiEndpointFor(ConfiguredEndpoint.Eks), cancellationToken);
        if (cluster.ReachabilityNote is { } note)
            Log.Information(note);
        var tokens = new EksTokenGenerator(Secrets);
        return KubernetesClients.FromEndpoint(new ClusterEndpoint(cluster.Endpoint, cluster.CertificateAuthorityData),
            async _ => (await tokens.GenerateAsync(session, EksClusterName, AwsApiEndpointFor(ConfiguredEndpoint.Sts))).Token, Secrets);
    }
}
