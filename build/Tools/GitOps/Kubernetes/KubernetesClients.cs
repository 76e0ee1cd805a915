using System.Security.Cryptography.X509Certificates;
using System.Text;
using CloudAge.Common.Secrets;
using k8s;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>A cluster given by endpoint, as EKS describes it: API server URL and the base64 PEM of its CA.</summary>
public sealed record ClusterEndpoint(Uri Server, string? CertificateAuthorityData);

/// <summary>Builds a KubernetesClient from a kubeconfig, from the in-cluster service account, or from an endpoint and a token provider (EKS).</summary>
public static class KubernetesClients
{
    /// <summary>
    /// What is wrong with a kubeconfig value (a file, or as KUBECONFIG a list separated by ':'), as the rest of a
    /// sentence; null when it can be read. kubectl skips the files of a list that do not exist and needs at least one
    /// (k8s.io/client-go tools/clientcmd loader.go, ClientConfigLoadingRules.Load).
    /// </summary>
    public static string? KubeconfigProblem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrWhiteSpace(value))
            return "is empty";
        var files = Files(value);
        if (files.Count > 1 || value.Contains(Path.PathSeparator, StringComparison.Ordinal))
            return files.Any(File.Exists) ? null : $"'{Printable(value)}' lists no file that exists";
        return File.Exists(value) ? null : Directory.Exists(value) ? $"'{Printable(value)}' is a folder, not a kubeconfig file" : $"'{Printable(value)}' does not exist";
    }

    /// <param name="kubeconfigPath">A kubeconfig file, or as KUBECONFIG files separated by ':' (merged as kubectl does:
    /// the first to set a value wins); null means ~/.kube/config (the caller passes $KUBECONFIG when set: tools read no environment).</param>
    /// <param name="context">A context in it; null means its current-context.</param>
    public static IKubernetes FromKubeconfig(string? kubeconfigPath, string? context = null)
    {
        if (kubeconfigPath is not null && KubeconfigProblem(kubeconfigPath) is { } problem)
            throw new ClusterException($"The kubeconfig {problem}; give the path of an existing kubeconfig file.");
        try
        {
            if (kubeconfigPath is not null && kubeconfigPath.Contains(Path.PathSeparator, StringComparison.Ordinal))
            {
                return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigObject(Merge(Files(kubeconfigPath)), context));
            }
            return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, context));
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            throw new ClusterException($"The kubeconfig '{kubeconfigPath ?? "~/.kube/config"}' cannot be used: {e.Message}");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            // The library says only "Exception during deserialization"; the position is in the inner exception.
            var where = e.Start.Line > 0 ? $" (line {e.Start.Line}, column {e.Start.Column})" : string.Empty;
            throw new ClusterException($"The kubeconfig '{kubeconfigPath ?? "~/.kube/config"}' is not a kubeconfig YAML file{where}: {e.GetBaseException().Message}. " +
                "Give the path of a kubeconfig (kubectl config view shows what one looks like), or set KUBECONFIG.");
        }
    }

    // The files of a KUBECONFIG list merged as kubectl merges them (client-go clientcmd loader.go): files that do not
    // exist are skipped, and for the current context and each named context, cluster and user the first file that
    // sets it wins. The library merges lists only internally, so its public per-file loader is used here.
    private static k8s.KubeConfigModels.K8SConfiguration Merge(IEnumerable<string> files)
    {
        var configs = files.Where(File.Exists).Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f), useRelativePaths: true)).ToList();
        var merged = configs[0];
        foreach (var next in configs.Skip(1))
        {
            if (string.IsNullOrEmpty(merged.CurrentContext))
                merged.CurrentContext = next.CurrentContext;
            merged.Contexts = FirstByName(merged.Contexts, next.Contexts, c => c.Name);
            merged.Clusters = FirstByName(merged.Clusters, next.Clusters, c => c.Name);
            merged.Users = FirstByName(merged.Users, next.Users, u => u.Name);
        }
        return merged;
    }

    private static List<T> FirstByName<T>(IEnumerable<T>? first, IEnumerable<T>? then, Func<T, string> name) =>
        [.. (first ?? []).Concat(then ?? []).DistinctBy(name, StringComparer.Ordinal)];

    // The files of a KUBECONFIG list, empty entries left out as kubectl leaves them.
    private static List<string> Files(string value) => [.. value.Split(Path.PathSeparator).Where(f => f.Length > 0)];

    private static string Printable(string value) => CloudAge.Common.Text.PeerText.OneLine(value, 300);

    /// <summary>The pod's service account, when the build itself runs in the cluster.</summary>
    public static IKubernetes InCluster()
    {
        if (!KubernetesClientConfiguration.IsInCluster())
            throw new ClusterException("Not running inside a Kubernetes pod (no service account token or KUBERNETES_SERVICE_HOST); give a kubeconfig or an EKS cluster instead.");
        return new k8s.Kubernetes(KubernetesClientConfiguration.InClusterConfig());
    }

    /// <summary>
    /// A client whose bearer token comes from <paramref name="tokenProvider"/> (an EKS token, as `aws eks get-token` makes),
    /// asked again before <paramref name="tokenLifetime"/> runs out (default 10 minutes: EKS tokens last 15), and at once when
    /// the API server refuses one with 401 (the request is then sent again with the fresh token, once). Each token is
    /// added to <paramref name="masker"/> as soon as it is received. <paramref name="time"/> is the clock the lifetime
    /// is measured on (the system's unless a test gives its own).
    /// </summary>
    public static IKubernetes FromEndpoint(ClusterEndpoint endpoint, Func<CancellationToken, Task<string>> tokenProvider,
        SecretMasker masker, TimeSpan? tokenLifetime = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var tokens = new RefreshingTokenProvider(tokenProvider, masker, tokenLifetime ?? TimeSpan.FromMinutes(10), time ?? TimeProvider.System);
        var configuration = new KubernetesClientConfiguration { Host = endpoint.Server.ToString(), TokenProvider = tokens };
        if (!string.IsNullOrWhiteSpace(endpoint.CertificateAuthorityData))
            configuration.SslCaCerts = ParseCertificateAuthority(endpoint.CertificateAuthorityData);
        return new k8s.Kubernetes(configuration, new ReauthenticatingHandler(tokens));
    }

    internal static X509Certificate2Collection ParseCertificateAuthority(string base64Pem)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(base64Pem.Trim())));
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new ClusterException($"The cluster's certificate authority data is not base64 of PEM certificates ({e.Message}); pass it as EKS reports it (certificateAuthority.data).");
        }
        if (certificates.Count == 0)
            throw new ClusterException("The cluster's certificate authority data holds no certificate; pass it as EKS reports it (certificateAuthority.data).");
        return certificates;
    }
}
