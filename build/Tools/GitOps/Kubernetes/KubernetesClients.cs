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
    /// <param name="kubeconfigPath">A kubeconfig file; null means ~/.kube/config (the caller passes $KUBECONFIG when set: tools read no environment).</param>
    /// <param name="context">A context in it; null means its current-context.</param>
    public static IKubernetes FromKubeconfig(string? kubeconfigPath, string? context = null)
    {
        if (kubeconfigPath is not null && !File.Exists(kubeconfigPath))
            throw new ClusterException($"The kubeconfig '{kubeconfigPath}' does not exist; give the path of an existing kubeconfig file.");
        try
        {
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

    /// <summary>The pod's service account, when the build itself runs in the cluster.</summary>
    public static IKubernetes InCluster()
    {
        if (!KubernetesClientConfiguration.IsInCluster())
            throw new ClusterException("Not running inside a Kubernetes pod (no service account token or KUBERNETES_SERVICE_HOST); give a kubeconfig or an EKS cluster instead.");
        return new k8s.Kubernetes(KubernetesClientConfiguration.InClusterConfig());
    }

    /// <summary>
    /// A client whose bearer token comes from <paramref name="tokenProvider"/> (an EKS token, as `aws eks get-token` makes),
    /// asked again before <paramref name="tokenLifetime"/> runs out (default 10 minutes: EKS tokens last 15). Each token is
    /// added to <paramref name="masker"/> as soon as it is received. <paramref name="time"/> is the clock the lifetime
    /// is measured on (the system's unless a test gives its own).
    /// </summary>
    public static IKubernetes FromEndpoint(ClusterEndpoint endpoint, Func<CancellationToken, Task<string>> tokenProvider,
        SecretMasker masker, TimeSpan? tokenLifetime = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var configuration = new KubernetesClientConfiguration
        {
            Host = endpoint.Server.ToString(),
            TokenProvider = new RefreshingTokenProvider(tokenProvider, masker, tokenLifetime ?? TimeSpan.FromMinutes(10), time ?? TimeProvider.System),
        };
        if (!string.IsNullOrWhiteSpace(endpoint.CertificateAuthorityData))
            configuration.SslCaCerts = ParseCertificateAuthority(endpoint.CertificateAuthorityData);
        return new k8s.Kubernetes(configuration);
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
