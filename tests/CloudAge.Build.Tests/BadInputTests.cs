using System.Text.RegularExpressions;
using CloudAge.Engine.Execution;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>
/// The bad inputs of the hardening review, given to the real build class in-process as ./build.sh passes them: each is
/// exit 2 (or 1 for a run-time failure) with one sentence that names the parameter, and no stack trace.
/// </summary>
public sealed partial class BadInputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cloudage-bad-input-").FullName;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal) { ["NO_COLOR"] = "1" };

    public BadInputTests() => Directory.CreateDirectory(Path.Combine(_root, ".nuke"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    internal static (int ExitCode, string Output) Run(string root, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var exitCode = BuildRunner.Run(new Build(), [.. args, "--no-logo"], new RunContext(environment, output, root), ["Compile"]);
        return (exitCode, output.ToString());
    }

    private (int ExitCode, string Output) Run(params string[] args) => Run(_root, _environment, args);

    private static void AssertClean((int ExitCode, string Output) result, int exitCode, string message)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.Output}");
        Assert.Contains(message, result.Output);
        Assert.DoesNotMatch(StackFrame(), result.Output);
        Assert.DoesNotMatch(ResourceKey(), result.Output);
    }

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    // The runtime's message keys (net_http_ssl_connection_failed, Arg_ParamName_Name) that UseSystemResourceKeys prints.
    [GeneratedRegex(@"\b(net|Arg|Argument|IO|Net|Overflow|InvalidOperation)_[A-Za-z_]+\b")]
    private static partial Regex ResourceKey();

    [Theory]
    [InlineData("--sync-timeout", "NaN", "Parameter 'SyncTimeout' from the command line (--sync-timeout): 'NaN' is not valid. Expected a duration greater than 0 and at most 24 hours")]
    [InlineData("--sync-timeout", "Infinity", "'Infinity' is not valid. Expected a duration")]
    [InlineData("--sync-timeout", "1e300", "'1e300' is not valid. Expected a duration")]
    [InlineData("--sync-timeout", "99999999999h", "'99999999999h' is not valid. Expected a duration")]
    [InlineData("--rollout-timeout", "-1", "Parameter 'RolloutTimeout' from the command line (--rollout-timeout): '-1' is not valid.")]
    [InlineData("--scan-timeout", "0", "Parameter 'ScanTimeout' from the command line (--scan-timeout): '0' is not valid.")]
    [InlineData("--commit", "abc", "'abc' is not valid. Expected a commit sha of 7 to 40 hex digits, such as 3f2a9c1.")]
    [InlineData("--image-digest", "sha256:nothex", "'sha256:nothex' is not valid. Expected sha256: and 64 lower-case hex digits")]
    [InlineData("--fail-on", "NOPE", "Parameter 'FailOn' from the command line (--fail-on): 'NOPE' is not valid. Expected one of LOW, MEDIUM, HIGH or CRITICAL")]
    [InlineData("--aws-region", "evil.example.com/x", "Parameter 'AwsRegion' from the command line (--aws-region): 'evil.example.com/x' is not valid. Expected an AWS region name such as us-east-1")]
    [InlineData("--docker-host", "nonsense", "Expected an absolute URL (unix://, tcp://, npipe://, http://, https://) such as unix:///var/run/docker.sock.")]
    [InlineData("--docker-host", "unix://", "Parameter 'DockerHost' from the command line (--docker-host): 'unix://' is not valid. Expected an absolute URL")]
    [InlineData("--registry", "https://registry.example.com/x", "Expected a registry host[:port] without scheme or path")]
    [InlineData("--ecr-repository", "Bad Name", "Expected a repository name in lower case")]
    [InlineData("--kubernetes-namespace", "Not_A_Namespace", "Expected a lower-case namespace name")]
    [InlineData("--local-port", "70000", "Expected a whole number from 1 to 65535.")]
    [InlineData("--tag-mutability", "sometimes", "Expected one of Mutable, Immutable.")]
    [InlineData("--image-repository", "NOT A REPO!!", "Parameter 'ImageRepository' from the command line (--image-repository): 'NOT A REPO!!' is not valid. Expected <registry>/<name> without tag or digest")]
    [InlineData("--image-repository", "registry.example.com/app:1.0", "Expected <registry>/<name> without tag or digest")]
    [InlineData("--bot-name", "x <evil@example.com>", "Parameter 'BotName' from the command line (--bot-name): 'x <evil@example.com>' is not valid. Expected a name without '<', '>'")]
    [InlineData("--bot-name", "   ", "Expected a name without '<', '>' or control characters, such as cloudage-bot.")]
    [InlineData("--bot-email", "nobody", "Parameter 'BotEmail' from the command line (--bot-email): 'nobody' is not valid. Expected an address such as cloudage-bot@users.noreply.github.com.")]
    [InlineData("--app-version-override", "not a version", "Parameter 'AppVersionOverride' from the command line (--app-version-override): 'not a version' is not valid. Expected a semantic version such as 1.4.0")]
    [InlineData("--app-version-override", "1.2;Foo=bar", "Expected a semantic version such as 1.4.0")]
    public void A_bad_value_is_exit_2_naming_the_parameter_with_a_good_example(string option, string value, string message) =>
        AssertClean(Run(option, value, "--plan"), 2, message);

    [Fact]
    public void A_bad_duration_in_the_environment_is_exit_2_and_help_still_works()
    {
        AssertClean(RunWith("SYNC_TIMEOUT", "NaN", "--help"), 0, "--sync-timeout");
        AssertClean(Run("--plan"), 2, "Parameter 'SyncTimeout' (--sync-timeout) from the environment (SYNC_TIMEOUT): 'NaN' is not valid.");
    }

    private (int, string) RunWith(string variable, string value, params string[] args)
    {
        _environment[variable] = value;
        return Run(args);
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375")]
    public void The_documented_docker_host_is_accepted_as_flag_and_as_DOCKER_HOST(string value)
    {
        var flag = Run("--docker-host", value, "--plan");
        var environment = RunWith("DOCKER_HOST", value, "--plan");

        Assert.True(flag.ExitCode == 0, flag.Output);
        Assert.True(environment.Item1 == 0, environment.Item2);
    }

    // --default-branch reaches git as refs/heads/<name>; one git refuses used to get through to BumpTag and end there as
    // "'--x' is not a usable branch. (Parameter 'request') (ArgumentException; ...)", exit 1.
    [Theory]
    [InlineData("--x")]
    [InlineData("foo bar")]
    [InlineData("a..b")]
    public void A_default_branch_git_refuses_is_exit_2_before_BumpTag_runs(string branch) =>
        AssertClean(Run("BumpTag", "--dry-run", $"--default-branch={branch}", "--image-tag", "sha-abc1234", "--image-reference", "tag"), 2,
            $"Parameter 'DefaultBranch' from the command line (--default-branch): '{branch}' is not valid. Expected a git branch name");

    [Fact]
    public void The_default_branch_is_accepted_exactly_when_git_accepts_it_as_a_branch_name()
    {
        string[] names = ["main", "release/1.x", "feature/é", "a@b", "v1.2", "-x", "foo bar", "a..b", "a@{b", "a.lock", "x.lock/y", "a/.b", ".a",
            "a/", "/a", "a//b", "a.", "HEAD", "a~b", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "a\tb"];
        foreach (var name in names)
        {
            var git = Fixtures.ProcessHelper.Run("git", $"check-ref-format --branch \"{name}\"", _root, timeoutSeconds: 30).ExitCode == 0;
            var build = RunWith("DEFAULT_BRANCH", name, "--plan");
            Assert.True(git == (build.Item1 == 0), $"git {(git ? "accepts" : "refuses")} '{name}', the build exits {build.Item1}: {build.Item2}");
        }
    }

    [Fact]
    public void A_duplicate_key_in_parameters_json_is_exit_2_naming_the_key()
    {
        File.WriteAllText(Path.Combine(_root, ".nuke", "parameters.json"), """{ "Commit": "abcdef1", "Commit": "abcdef2" }""");

        AssertClean(Run("--plan"), 2, "parameters.json: the key \"Commit\" is given twice; keep one of them.");
    }

    [Fact]
    public void An_object_where_a_value_is_expected_is_exit_2_naming_the_key()
    {
        File.WriteAllText(Path.Combine(_root, ".nuke", "parameters.json"), """{ "ImageTag": { "tag": "v1" } }""");

        AssertClean(Run("--plan"), 2, "parameters.json: \"ImageTag\" holds an object; give a string, number or true/false");
    }

    [Fact]
    public void A_kubeconfig_that_is_not_YAML_is_exit_1_naming_the_file()
    {
        var kubeconfig = Path.Combine(_root, "kubeconfig.txt");
        File.WriteAllText(kubeconfig, "{ this: is: not [ yaml\n\t\u0001");

        AssertClean(Run("GetUrl", "--kubeconfig", kubeconfig), 1, $"The kubeconfig '{kubeconfig}' is not a kubeconfig YAML file");
    }

    [Fact]
    public void A_kubeconfig_that_is_not_there_is_exit_2_before_BumpTag_could_push()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "kube")).FullName;
        var missing = Path.Combine(_root, "nonexistent");

        // Deploy runs BumpTag first, which pushes: the value is refused before any target, as a bad value.
        var deploy = Run("Deploy", "--kubeconfig", missing);
        var isFolder = Run("GetUrl", "--kubeconfig", folder);
        _environment["KUBECONFIG"] = $"{missing}:{Path.Combine(_root, "also-missing")}";
        var list = Run("ArgoSync", "--skip", "BumpTag");

        AssertClean(deploy, 2, $"--kubeconfig '{missing}' does not exist; give the path of a kubeconfig file, e.g. --kubeconfig ~/.kube/config");
        AssertClean(isFolder, 2, $"'{folder}' is a folder, not a kubeconfig file");
        AssertClean(list, 2, "KUBECONFIG '");
        AssertClean(list, 2, "lists no file that exists");
        Assert.All(new[] { deploy, isFolder, list }, result => Assert.DoesNotContain("failed", result.Output));
    }

    [Fact]
    public void A_kubeconfig_list_is_merged_as_kubectl_merges_it_skipping_files_that_do_not_exist()
    {
        // The first file names the current context, the second defines it: only the merge of both reaches a cluster.
        var first = Path.Combine(_root, "first.yaml");
        var second = Path.Combine(_root, "second.yaml");
        File.WriteAllText(first, "apiVersion: v1\nkind: Config\ncurrent-context: prod\n");
        File.WriteAllText(second, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster: { server: "https://prod.example.com:6443" }
            contexts:
            - name: prod
              context: { cluster: prod, user: prod }
            users:
            - name: prod
              user: { token: "kube-Token-never-shown-789" }
            """);

        var client = CloudAge.Tools.GitOps.Kubernetes.KubernetesClients.FromKubeconfig($"{first}:{Path.Combine(_root, "missing.yaml")}::{second}");

        Assert.Equal(new Uri("https://prod.example.com:6443/"), ((k8s.Kubernetes)client).BaseUri);
        Assert.Null(CloudAge.Tools.GitOps.Kubernetes.KubernetesClients.KubeconfigProblem($"{first}:{second}"));
    }

    [Fact]
    public void A_named_stack_parameters_file_that_is_not_there_is_exit_2_while_the_default_one_may_be_missing()
    {
        Directory.CreateDirectory(Path.Combine(_root, "infra"));
        File.WriteAllText(Path.Combine(_root, "infra", "cloudage.yaml"), "Resources: {}\n");

        var typo = Run("Provision", "--dry-run", "--stack-parameters-file", "infra/prod-typo.json");
        var folder = Run("Provision", "--dry-run", "--stack-parameters-file", "infra");

        AssertClean(typo, 2, "--stack-parameters-file infra/prod-typo.json: no such file; pass a JSON file relative to the repository, e.g. --stack-parameters-file infra/parameters.json");
        AssertClean(folder, 2, "--stack-parameters-file infra: is a folder, not a file");
        // The default file is optional: without it the run gets past this check (and stops later, at AWS credentials).
        Assert.DoesNotContain("--stack-parameters-file", Run("Provision", "--dry-run").Output);
    }

    [Fact]
    public void Argo_CD_and_cluster_inputs_are_checked_before_any_target_runs()
    {
        _environment["HOME"] = _root; // no ~/.kube/config there
        _environment["ARGOCD_AUTH_TOKEN"] = "argo-Token-never-shown-456";
        var badServer = Run("ArgoSync", "--skip", "BumpTag", "--argocd-server", "ht!tp://::junk::/ x");
        var plainHttp = Run("ArgoSync", "--skip", "BumpTag", "--argocd-server", "http://argocd.example.com");
        var passwordInName = Run("ArgoSync", "--skip", "BumpTag", "--argocd-server", "admin:hunter22@argo example.com");
        var passwordInUrl = Run("ArgoSync", "--skip", "BumpTag", "--argocd-server", "https://admin:hunter22@argocd.example.com");
        _environment.Remove("ARGOCD_AUTH_TOKEN");
        var noToken = Run("ArgoSync", "--skip", "BumpTag", "--argocd-server", "argocd.example.com");
        var noCluster = Run("ArgoSync", "--skip", "BumpTag");
        var noClusterForUrl = Run("GetUrl");

        AssertClean(badServer, 2, "The Argo CD server 'ht!tp://::junk::/ x' (--argocd-server or ARGOCD_SERVER) is not a server address; give host[:port] or an https:// URL");
        AssertClean(plainHttp, 2, "is plain http, which would send the token unencrypted");
        AssertClean(passwordInName, 2, "The Argo CD server '***@argo example.com' (--argocd-server or ARGOCD_SERVER) is not a server address");
        AssertClean(passwordInUrl, 2, "carries a user name or password; give the address alone");
        Assert.All(new[] { passwordInName, passwordInUrl }, result => Assert.DoesNotContain("hunter22", result.Output));
        AssertClean(noToken, 2, "--argocd-server is given but no Argo CD token: set ARGOCD_AUTH_TOKEN");
        foreach (var result in new[] { noCluster, noClusterForUrl })
            AssertClean(result, 2, "No way to reach the cluster: pass --eks-cluster-name <cluster> (with AWS credentials), or --kubeconfig <file> (or set KUBECONFIG)");
        // Refused before the first target: no target ran or failed, and no internal name is shown.
        Assert.All(new[] { badServer, plainHttp, noToken, noCluster, noClusterForUrl }, result =>
        {
            Assert.DoesNotContain("failed", result.Output);
            Assert.DoesNotContain("IsValid", result.Output);
            Assert.DoesNotContain("argo-Token-never-shown-456", result.Output);
        });
    }

    [Theory]
    [InlineData("Inspect", "--image", "not an image!!", "Parameter 'Image' from the command line (--image): 'not an image!!' is not valid. Expected registry/repository:tag or registry/repository@sha256:<64 hex>")]
    [InlineData("DockerBuild", "--extra-tags", "bad!", "Parameter 'ExtraTags' from the command line (--extra-tags): 'bad!' is not valid. Expected an image tag")]
    public void Image_references_and_extra_tags_are_checked_when_read(string target, string flag, string value, string message)
    {
        AssertClean(Run(target, flag, value, "--dry-run"), 2, message);
    }

    [Fact]
    public void DockerBuild_without_Publishs_output_says_which_target_makes_it()
    {
        var result = Run("DockerBuild", "--skip", "Publish", "Compile", "Restore", "--platforms", "linux/amd64");

        AssertClean(result, 1, "artifacts/publish/linux-x64 does not exist: DockerBuild builds the image from what Publish writes there. Run ./build.sh Publish --platforms linux/amd64 first");
    }

    [Fact]
    public void A_Docker_engine_that_does_not_answer_fails_DockerBuild_with_nothing_printed_after_the_summary()
    {
        // DockerBuild asks git (version, commit, commit time) beside the engine's ping; when the ping failed at once, git's
        // command lines used to come after "Target 'DockerBuild' failed" and even after "Build failed in ...".
        Fixtures.ProcessHelper.Run("git", "init -q -b main", _root);
        Fixtures.ProcessHelper.Run("git", "-c user.name=t -c user.email=t@example.com commit -q --allow-empty -m init", _root);
        Directory.CreateDirectory(Path.Combine(_root, "artifacts", "publish", "linux-x64"));
        var output = new StringWriter();
        var endpoint = $"tcp://127.0.0.1:{FreePort.Next()}";

        var exitCode = BuildRunner.Run(new Build(), ["DockerBuild", "--skip", "--platforms", "linux/amd64", "--docker-host", endpoint, "--no-logo"],
            new RunContext(_environment, output, _root), ["Compile"]);
        var atExit = output.ToString();
        Thread.Sleep(TimeSpan.FromSeconds(2));

        AssertClean((exitCode, atExit), 1, $"No Docker engine answers at {endpoint}/ (Connection refused).");
        Assert.Equal(atExit, output.ToString());
        Assert.StartsWith("Build failed in ", atExit.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void An_Argo_CD_token_over_plain_http_is_refused_before_it_is_sent_unless_plaintext_is_given()
    {
        _environment["ARGOCD_AUTH_TOKEN"] = "argo-Token-never-in-clear-123";
        // ArgoSync reads the revision to sync to from git.
        Fixtures.ProcessHelper.Run("git", "init -q", _root);
        Fixtures.ProcessHelper.Run("git", "-c user.name=t -c user.email=t@example.com commit -q --allow-empty -m init", _root);
        // ...as the head of the default branch on origin.
        Fixtures.ProcessHelper.Run("git", "init -q --bare origin.git", _root);
        Fixtures.ProcessHelper.Run("git", "remote add origin origin.git", _root);
        Fixtures.ProcessHelper.Run("git", "push -q origin HEAD:refs/heads/main", _root);
        // A port nothing listens on: the refusal must come before any connection, and the flag lets it through to one.
        var refused = Run("ArgoSync", "--skip", "BumpTag", "--argocd-server", "http://argocd.invalid:1", "--argocd-application", "cloudage");
        var allowed = Run("ArgoSync", "--skip", "BumpTag", "--argocd-server", "http://argocd.invalid:1", "--argocd-plaintext", "--argocd-application", "cloudage");

        AssertClean(refused, 2, "is plain http, which would send the token unencrypted; give its https:// address, or pass --argocd-plaintext");
        Assert.Equal(1, allowed.ExitCode);
        Assert.DoesNotContain("plain http", allowed.Output);
        Assert.DoesNotContain("argo-Token-never-in-clear-123", refused.Output + allowed.Output);
    }

    [Fact]
    public void A_secret_flag_under_CI_warns_at_once_even_in_a_dry_run()
    {
        _environment["GITHUB_ACTIONS"] = "true";

        var result = Run("BumpTag", "--dry-run", "--git-token", "ghs_flagTokenSecret0123", "--plan");

        Assert.Contains("the secret --git-token was given on the command line, which other processes on this CI runner can read; pass it as the environment variable GIT_TOKEN", result.Output);
        Assert.DoesNotContain("ghs_flagTokenSecret0123", result.Output);
    }

    // Found by the bad-input sweep: Provision's own checks named --stack-template and --stack-parameters whatever the value
    // came from, echoed the value raw (an ESC recoloured the terminal, a 10,000-character value came back whole) and passed
    // on System.Text.Json's "... when isFinalBlock is true. LineNumber: 0 | BytePositionInLine: 0.".
    [Fact]
    public void Provision_names_a_bad_stack_input_as_given_and_echoes_it_escaped()
    {
        Directory.CreateDirectory(Path.Combine(_root, "infra"));
        File.Copy(Path.Combine(Prerequisites.RepositoryRoot(), "infra", "cloudage.yaml"), Path.Combine(_root, "infra", "cloudage.yaml"));
        File.WriteAllText(Path.Combine(_root, "empty.json"), string.Empty);

        (int ExitCode, string Output) template = RunWith("STACK_TEMPLATE", "\u001b[31mred", "Provision", "--dry-run");
        _environment.Remove("STACK_TEMPLATE");
        (int ExitCode, string Output) pairs = RunWith("STACK_PARAMETERS", "\u001b[2J" + new string('a', 10_000), "Provision", "--dry-run");
        _environment.Remove("STACK_PARAMETERS");
        (int ExitCode, string Output) file = RunWith("STACK_PARAMETERS_FILE", "empty.json", "Provision", "--dry-run");

        AssertClean(template, 2, "STACK_TEMPLATE \\u001b[31mred: no such file; pass the template's path relative to the repository, e.g. --stack-template infra/cloudage.yaml.");
        AssertClean(pairs, 2, "STACK_PARAMETERS: '\\u001b[2Jaaaa");
        Assert.Contains("...' is not Key=Value; pass Key=Value pairs, e.g. --stack-parameters GitHubOwner=your-org", pairs.Output);
        Assert.True(pairs.Output.Length < 1_000, pairs.Output.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssertClean(file, 2, "STACK_PARAMETERS_FILE empty.json: it is not JSON (line 1, column 1: look there for a missing comma, quote or brace); write e.g.");
        Assert.DoesNotContain("isFinalBlock", file.Output);
        Assert.DoesNotContain('\u001b', template.Output + pairs.Output);
    }

    // Found by the bad-input sweep: the platform check said "(--platforms)" whatever the value came from and echoed the
    // platform raw, so an ESC in PLATFORMS recoloured the terminal.
    [Fact]
    public void A_bad_platform_is_named_as_given_and_echoed_escaped()
    {
        (int ExitCode, string Output) environment = RunWith("PLATFORMS", "linux/amd64,\u001b[31mred", "DockerBuild", "--dry-run");
        _environment.Remove("PLATFORMS");
        File.WriteAllText(Path.Combine(_root, ".nuke", "parameters.json"), """{ "platforms": " " }""");
        var file = Run("DockerBuild", "--dry-run");

        AssertClean(environment, 2, "Parameter 'Platforms' (--platforms) from PLATFORMS: '\\u001b[31mred' is not a platform CloudAge builds. Expected linux/amd64, linux/arm64 or both, for example --platforms linux/amd64,linux/arm64.");
        Assert.DoesNotContain('\u001b', environment.Output);
        AssertClean(file, 2, "Parameter 'Platforms' (--platforms) from \"platforms\" in parameters.json is empty.");
    }

    // Found by the bad-input sweep: the missing-token check said "--argocd-server is given" also when the server came
    // from ARGOCD_SERVER or a parameters-file key, naming a flag the user never typed.
    [Fact]
    public void A_server_without_a_token_names_the_server_as_given()
    {
        File.WriteAllText(Path.Combine(_root, ".nuke", "parameters.json"), """{ "argocd_server": "argocd.example.com" }""");
        var file = Run("ArgoSync", "--dry-run");
        File.Delete(Path.Combine(_root, ".nuke", "parameters.json"));
        (int ExitCode, string Output) environment = RunWith("ARGOCD_SERVER", "argocd.example.com", "ArgoSync", "--dry-run");

        AssertClean(file, 2, "\"argocd_server\" in parameters.json is given but no Argo CD token: set ARGOCD_AUTH_TOKEN");
        AssertClean(environment, 2, "ARGOCD_SERVER is given but no Argo CD token: set ARGOCD_AUTH_TOKEN (for example from 'argocd account generate-token --account cloudage-ci'), or leave it out");
    }

    [Fact]
    public void The_build_program_prints_the_runtimes_messages_not_resource_keys()
    {
        // UseSystemResourceKeys is a runtime feature switch written into _build.runtimeconfig.json; without it the
        // runtime's own texts ("The SSL connection could not be established") reach the user.
        var config = Path.Combine(AppContext.BaseDirectory, "_build.runtimeconfig.json");
        Assert.True(File.Exists(config), config);
        Assert.DoesNotContain("UseSystemResourceKeys", File.ReadAllText(config));
        Assert.DoesNotContain("UseSystemResourceKeys", File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), "build", "_build.csproj")));
    }
}
