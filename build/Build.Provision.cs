using CloudAge.Common.Errors;
using CloudAge.Engine;
using CloudAge.Engine.Cli;
using CloudAge.Tools.Aws.CloudFormation;
using CloudAge.Tools.Aws.Iam;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("AWS API endpoint override for every AWS client (ECR, EKS, STS, CloudFormation, IAM): VPC endpoints, emulators (e.g. http://127.0.0.1:5000)")]
    [UriSchemes("https://cloudformation.us-east-1.amazonaws.com", "https", "http")]
    public Uri? AwsEndpoint { get; init; }

    [Parameter("CloudFormation stack Provision creates or updates")]
    [Pattern("[a-zA-Z][-a-zA-Z0-9]{0,127}", "a CloudFormation stack name: a letter, then letters, digits and hyphens, such as cloudage")]
    public string StackName { get; init; } = "cloudage";

    [Parameter("CloudFormation template Provision deploys")]
    public string StackTemplate { get; init; } = "infra/cloudage.yaml";

    [Parameter("Stack parameter values as Key=Value (e.g. GitHubOwner=your-org); they win over the parameters file")]
    public string[] StackParameters { get; init; } = [];

    [Parameter("JSON file of stack parameter values, as the AWS CLI takes them (the default is used when it exists; a file you name must exist)")]
    public string StackParametersFile { get; init; } = DefaultStackParametersFile;

    const string DefaultStackParametersFile = "infra/parameters.json";

    [Parameter("How long Provision waits in all: the change set, then the stack to settle")]
    public TimeSpan ProvisionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    Target Provision => _ => _
        .Description("Creates or updates the AWS resources of infra/ (CloudFormation change set); --dry-run prints the change set only")
        .SupportsDryRun()
        .Requires(() => StackInputsAreValid())
        .Executes(async cancellationToken =>
        {
            var (template, parameters, sources) = _stackInputs!.Value;
            var session = await ResolveAws(cancellationToken);
            using var client = new CloudFormationClient(session, Secrets, Log.Information, new CloudFormationClientOptions { Endpoint = AwsApiEndpointFor(ConfiguredEndpoint.CloudFormation) });
            var existing = await client.DescribeStackAsync(StackName, cancellationToken);
            using (var iam = new IamClient(session, Secrets, Log.Information, new IamClientOptions { Endpoint = AwsApiEndpointFor(ConfiguredEndpoint.Iam) }))
            {
                await CheckOidcProviders(iam, existing, parameters, sources, cancellationToken);
                if (existing is null or { Status: "REVIEW_IN_PROGRESS" })
                    await CheckRoleNamesAreFree(iam, session.Region, template, cancellationToken);
            }
            var deployment = new StackDeployment(StackName, template, parameters) { DryRun = IsDryRun, Timeout = ProvisionTimeout, ParameterSources = sources };
            var result = await new StackDeployer(client, Log.Information).DeployAsync(deployment, cancellationToken);
            foreach (var (key, value) in result.Stack?.Outputs ?? new Dictionary<string, string>())
                Log.Information($"  {key} = {value}");
            SetOutput("stack-outcome", result.Outcome.ToString());
        });

    (string Template, Dictionary<string, string> Parameters, Dictionary<string, string> Sources)? _stackInputs;

    const string GitHubProviderArn = "GitHubOidcProviderArn";
    const string ClusterIssuer = "ClusterOidcIssuer";

    // The OIDC providers infra/cloudage.yaml's roles trust, checked against the account before the change set: CloudFormation
    // finds a conflict only when it creates that resource, and rolls the whole stack back. IAM keeps one provider per URL
    // (IAM API Reference, CreateOpenIDConnectProvider: EntityAlreadyExists), and refuses a role whose trust policy names a
    // provider that does not exist ("Invalid principal in policy"). eksctl (--with-oidc, utils associate-iam-oidc-provider)
    // and the console make the cluster's; a GitHub provider is often there from another stack.
    async Task CheckOidcProviders(IamClient iam, StackSummary? existing, Dictionary<string, string> parameters, Dictionary<string, string> sources, CancellationToken cancellationToken)
    {
        var deployed = existing is { Status: not "REVIEW_IN_PROGRESS" } ? existing.Parameters : new Dictionary<string, string>();
        // A key not given keeps the stack's value (StackDeployer, like aws cloudformation deploy); both default to "".
        string Value(string key) => parameters.TryGetValue(key, out var value) ? value : deployed.GetValueOrDefault(key, string.Empty);
        string Source(string key) => sources.GetValueOrDefault(key, "the stack's current value");
        var (gitHubArn, issuer) = (Value(GitHubProviderArn), Value(ClusterIssuer));
        // A stack deployed with an empty GitHubOidcProviderArn made the provider itself: it is the stack's own.
        var stackOwnsGitHubProvider = deployed.TryGetValue(GitHubProviderArn, out var deployedArn) && deployedArn.Length == 0;
        if (gitHubArn.Length == 0 && stackOwnsGitHubProvider && issuer.Length == 0)
            return;
        IReadOnlyList<string> providers;
        try
        {
            providers = await iam.ListOpenIdConnectProviderArnsAsync(cancellationToken);
        }
        catch (IamException e)
        {
            Log.Warning($"Could not list the account's IAM OIDC providers, so CloudFormation will be the first to find a missing or duplicate one: {e.Message}");
            return;
        }
        var gitHub = providers.FirstOrDefault(arn => arn.EndsWith(":oidc-provider/token.actions.githubusercontent.com", StringComparison.Ordinal));
        if (gitHubArn.Length == 0 && !stackOwnsGitHubProvider && gitHub is not null)
            throw new StackParameterException($"The account already has the GitHub OIDC provider {gitHub}, and IAM allows one per URL, so stack {StackName} " +
                $"cannot create its own: pass that one as the stack parameter {GitHubProviderArn}, e.g. --stack-parameters {GitHubProviderArn}={gitHub}.");
        if (gitHubArn.Length > 0 && !providers.Contains(gitHubArn, StringComparer.Ordinal))
            throw new StackParameterException($"{GitHubProviderArn} {gitHubArn} ({Source(GitHubProviderArn)}): the account has no such OIDC provider, and IAM " +
                $"refuses a role that trusts one it does not have; pass the ARN aws iam list-open-id-connect-providers lists for token.actions.githubusercontent.com" +
                $"{(gitHub is null ? ", or an empty value to let the stack create it" : $", e.g. {GitHubProviderArn}={gitHub}")}.");
        if (issuer.Length > 0 && !providers.Any(arn => arn.EndsWith(":oidc-provider/" + issuer, StringComparison.Ordinal)))
            throw new ToolException($"The account has no IAM OIDC provider for the cluster's issuer {issuer} ({ClusterIssuer}, {Source(ClusterIssuer)}), " +
                $"and IAM refuses a role that trusts one it does not have: create it (eksctl utils associate-iam-oidc-provider --cluster " +
                $"{Value("ClusterName") switch { "" => "cloudage", var name => name }} --approve), or leave {ClusterIssuer} empty to use EKS Pod Identity only, and rerun.");
    }

    // IAM role names are global to the account, across Regions: a stack of the same name in another Region (or a role made
    // by hand) already holds <stack>-pod-role, and a new stack here would fail on it mid-create ("... already exists") and
    // roll back. Checked before a first create only; an existing stack's roles are its own.
    async Task CheckRoleNamesAreFree(IamClient iam, string region, string template, CancellationToken cancellationToken)
    {
        var roles = StackNameLimits.Read(template).Where(n => n.What == "IAM role").Select(n => n.With(StackName))
            .Where(name => !name.Contains("${", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
            return;
        foreach (var role in roles)
        {
            bool taken;
            try
            {
                taken = await iam.RoleExistsAsync(role, cancellationToken);
            }
            catch (IamException e)
            {
                Log.Warning($"Could not check whether IAM role {role} is free, so CloudFormation will be the first to find a clash: {e.Message}");
                return;
            }
            if (taken)
                throw new UsageException($"{ParameterSourceOf(nameof(StackName))} {StackName}: the account already has IAM role {role}, which a new stack of this name " +
                    "would create (IAM role names hold across all Regions: a stack of the same name in another Region, or a role made by hand); " +
                    $"pass another stack name for this Region, e.g. --stack-name {StackName}-{region}, or delete the role if nothing uses it.");
        }
    }

    // Runs with the requirements, before any target: bad input is a usage error (exit 2), not a failed deployment.
    bool StackInputsAreValid()
    {
        if (AwsEndpoint is not null && EcrEndpoint is not null && AwsEndpoint != EcrEndpoint)
            throw new UsageException($"--aws-endpoint ({AwsEndpoint}) and its alias --ecr-endpoint ({EcrEndpoint}) differ; pass one of them, e.g. --aws-endpoint http://127.0.0.1:5000.");
        var templatePath = RootDirectory / StackTemplate;
        // Values are named as given (flag, variable or parameters-file key) and echoed escaped: a path is the user's text,
        // and an ESC or a line break in it must not recolour the terminal or start a line of its own.
        if (!File.Exists(templatePath))
            throw new UsageException($"{ParameterSourceOf(nameof(StackTemplate))} {UserText.Printable(StackTemplate, 260)}: {(Directory.Exists(templatePath) ? "is a folder, not a file" : "no such file")}; pass the template's path relative to the repository, e.g. --stack-template infra/cloudage.yaml.");
        var template = File.ReadAllText(templatePath);
        // The template names IAM roles <stack>-...; a stack name that makes one too long would fail mid-create and roll back.
        if (StackNameLimits.Problem(template, StackName) is { } tooLong)
            throw new UsageException($"{ParameterSourceOf(nameof(StackName))} {StackName}: {tooLong}; pass a shorter one, e.g. --stack-name cloudage-prod.");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = RootDirectory / StackParametersFile;
        // The default file is optional; a file the user named must be there, or the stack would go out without its parameters.
        if (!File.Exists(file) && StackParametersFile != DefaultStackParametersFile)
            throw new UsageException($"{ParameterSourceOf(nameof(StackParametersFile))} {UserText.Printable(StackParametersFile, 260)}: {(Directory.Exists(file) ? "is a folder, not a file" : "no such file")}; " +
                $"pass a JSON file relative to the repository, e.g. --stack-parameters-file {DefaultStackParametersFile} (infra/parameters.example.json shows its shape).");
        if (File.Exists(file))
        {
            try
            {
                parameters = StackParameterInput.ParseFile(File.ReadAllText(file));
            }
            catch (FormatException e)
            {
                throw new UsageException($"{ParameterSourceOf(nameof(StackParametersFile))} {UserText.Printable(StackParametersFile, 260)}: {e.Message}; write e.g. {{\"Parameters\": {{\"GitHubOwner\": \"your-org\"}}}}.");
            }
        }
        var sources = parameters.Keys.ToDictionary(key => key, key => $"\"{key}\" in {StackParametersFile}", StringComparer.Ordinal);
        try
        {
            foreach (var (key, value) in StackParameterInput.ParsePairs(StackParameters))
                (parameters[key], sources[key]) = (value, ParameterSourceOf(nameof(StackParameters)).ToString());
        }
        catch (FormatException e)
        {
            throw new UsageException($"{ParameterSourceOf(nameof(StackParameters))}: {e.Message}; pass Key=Value pairs, e.g. --stack-parameters GitHubOwner=your-org GitHubRepo=cloudage.");
        }
        _stackInputs = (template, parameters, sources);
        return true;
    }
}
