using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>
/// Scalars of the wrong JSON type: kubectl and the API server read YAML as go-yaml v2 does (sigs.k8s.io/yaml), so an
/// unquoted 50, true or yes is a number or a boolean, and a quoted "2" a string; strict JSON decoding into the Go
/// types then refuses a mismatch ("json: cannot unmarshal number into Go struct field ConfigMap.data of type string").
/// </summary>
public sealed class ScalarTypeTests
{
    private const string ConfigMap = "k8s/configmap.yaml";
    private const string Deployment = "k8s/deployment.yaml";
    private const string EnvEntry = "                  key: AWS_REGION\n";

    /// <summary>File, text to replace, replacement, line marker, and texts the finding must hold (path and value, then the fix).</summary>
    public static TheoryData<string, string, string, string, string[]> WrongTypes() => new()
    {
        { ConfigMap, "  S3_BUCKET:", "  MAX_ITEMS: 50\n  S3_BUCKET:", "MAX_ITEMS", ["data.MAX_ITEMS: 50 is a number", "takes a string in v1 ConfigMap", "quote it: MAX_ITEMS: \"50\""] },
        { ConfigMap, "  S3_BUCKET:", "  FEATURE_X: true\n  S3_BUCKET:", "FEATURE_X", ["data.FEATURE_X: true is a boolean", "cannot unmarshal bool", "quote it: FEATURE_X: \"true\""] },
        { ConfigMap, "  S3_BUCKET:", "  COUNTRY: NO\n  S3_BUCKET:", "COUNTRY", ["data.COUNTRY: NO is a boolean (YAML 1.1", "quote it: COUNTRY: \"NO\""] },
        { ConfigMap, "  S3_BUCKET:", "  TRACING: on\n  S3_BUCKET:", "TRACING", ["data.TRACING: on is a boolean", "quote it: TRACING: \"on\""] },
        { ConfigMap, "  S3_BUCKET:", "  RATIO: .5\n  S3_BUCKET:", "RATIO", ["data.RATIO: .5 is a number", "quote it: RATIO: \".5\""] },
        { ConfigMap, "  S3_BUCKET:", "  LIMIT: 1_000\n  S3_BUCKET:", "LIMIT", ["data.LIMIT: 1_000 is a number", "quote it: LIMIT: \"1_000\""] },
        { ConfigMap, "  S3_BUCKET:", "  MASK: 0x1F\n  S3_BUCKET:", "MASK", ["data.MASK: 0x1F is a number"] },
        { ConfigMap, "  S3_BUCKET:", "  SCALE: -1e3\n  S3_BUCKET:", "SCALE", ["data.SCALE: -1e3 is a number"] },
        { ConfigMap, "  labels:\n", "  labels:\n    app.kubernetes.io/version: 1.0\n", "app.kubernetes.io/version", ["metadata.labels.app.kubernetes.io/version: 1.0 is a number", "quote it: app.kubernetes.io/version: \"1.0\""] },
        { Deployment, EnvEntry, EnvEntry + "            - name: MAX_PERCENT\n              value: 75\n", "value: 75", ["spec.template.spec.containers[0].env[1].value: 75 is a number", "takes a string in apps/v1 Deployment", "quote it: value: \"75\""] },
        { Deployment, "  replicas: 2", "  replicas: \"2\"", "replicas:", ["spec.replicas: \"2\" is a string (it is quoted)", "takes an integer", "cannot unmarshal string into a field of type int32", "write it without quotes: replicas: 2"] },
        { Deployment, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: \"true\"", "readOnlyRootFilesystem", ["readOnlyRootFilesystem: \"true\" is a string (it is quoted)", "takes a boolean", "write it without quotes: readOnlyRootFilesystem: true"] },
        { Deployment, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: yEs", "readOnlyRootFilesystem", ["readOnlyRootFilesystem: yEs is a string", "write true or false, without quotes"] },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void A_value_the_api_server_decodes_as_another_type_is_reported_with_its_path_value_and_fix(string file, string find, string replacement, string marker, string[] expected)
    {
        using var repository = new RepositoryCopy().Replace(file, find, replacement);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((file, repository.LineOf(file, marker), RuleIds.KubernetesSchema), (finding.File, finding.Line, finding.RuleId));
        Assert.All(expected, text => Assert.Contains(text, finding.Message, StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", finding.Message, StringComparison.Ordinal);
    }

    /// <summary>File, text to replace, replacement, line marker, and texts the finding must hold.</summary>
    public static TheoryData<string, string, string, string, string[]> WrongIntOrStrings() => new()
    {
        // IntOrString: a JSON string is the string half (intstr UnmarshalJSON), which ports take only as a port name
        // (ValidatePortNumOrName) and counts only as a percentage (ValidatePositiveIntOrPercent).
        { Deployment, "maxUnavailable: 0", "maxUnavailable: \"0\"", "maxUnavailable", ["spec.strategy.rollingUpdate.maxUnavailable: \"0\" is a string", "only a percentage", "write 0 without quotes"] },
        { Deployment, "port: 80\n            initialDelaySeconds: 15", "port: \"80\"\n            initialDelaySeconds: 15", "port: \"80\"", ["livenessProbe.httpGet.port: \"80\" is not a port name", "at least one letter", "write 80 without quotes"] },
        { "k8s/service.yaml", "targetPort: 80", "targetPort: \"80\"", "targetPort", ["spec.ports[0].targetPort: \"80\" is not a port name", "write 80 without quotes"] },
        { "k8s/service.yaml", "targetPort: 80", "targetPort: HTTP", "targetPort", ["\"HTTP\" is not a port name", "only lowercase letters"] },
        { "k8s/networkpolicy.yaml", "- port: 443", "- port: \"443\"", "port: \"443\"", ["spec.egress[1].ports[0].port: \"443\" is not a port name"] },
        { "k8s/poddisruptionbudget.yaml", "minAvailable: 1", "minAvailable: \"1\"", "minAvailable", ["spec.minAvailable: \"1\" is a string", "only a percentage"] },
        { "k8s/poddisruptionbudget.yaml", "minAvailable: 1", "minAvailable: 150%", "minAvailable", ["\"150%\" is more than 100%"] },
        { Deployment, "maxSurge: 1", "maxSurge: 1.5", "maxSurge", ["1.5 is not an integer"] },
        { Deployment, "port: 80\n            initialDelaySeconds: 15", "port: 70000\n            initialDelaySeconds: 15", "port: 70000", ["port 70000 is not between 1 and 65535"] },
    };

    [Theory]
    [MemberData(nameof(WrongIntOrStrings))]
    public void An_int_or_string_value_the_api_server_refuses_is_reported_with_its_path_and_fix(string file, string find, string replacement, string marker, string[] expected)
    {
        using var repository = new RepositoryCopy().Replace(file, find, replacement);

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.KubernetesSchema);

        Assert.Equal((file, repository.LineOf(file, marker)), (finding.File, finding.Line));
        Assert.All(expected, text => Assert.Contains(text, finding.Message, StringComparison.Ordinal));
    }

    /// <summary>Quoted strings, YAML 1.1 near-misses go-yaml leaves strings, nulls, dates, and IntOrString fields either way.</summary>
    public static TheoryData<string, string, string> RightTypes() => new()
    {
        { ConfigMap, "  S3_BUCKET:", "  MAX_ITEMS: \"50\"\n  FEATURE_X: 'true'\n  COUNTRY: \"NO\"\n  S3_BUCKET:" },
        { ConfigMap, "  S3_BUCKET:", "  NOTES: |\n    50\n  S3_BUCKET:" },
        { ConfigMap, "  S3_BUCKET:", "  MIXED: yEs\n  VERSION: 1.2.3\n  RELEASED: 2024-01-31\n  RATIO: 1:30\n  HEX: 0x\n  S3_BUCKET:" },
        { ConfigMap, "  S3_BUCKET:", "  UNSET: ~\n  ALSO_UNSET: null\n  S3_BUCKET:" },
        { ConfigMap, "  S3_BUCKET:", "  TAGGED: !!str 50\n  S3_BUCKET:" },
        { Deployment, EnvEntry, EnvEntry + "            - name: MAX_PERCENT\n              value: \"75\"\n" },
        { Deployment, "maxSurge: 1", "maxSurge: \"25%\"" },
        { Deployment, "maxSurge: 1", "maxSurge: 25%" },
        { "k8s/service.yaml", "targetPort: 80", "targetPort: http" },
        { "k8s/service.yaml", "targetPort: 80", "targetPort: \"http\"" },
        { Deployment, "maxSurge: 1", "maxSurge: 200%" },
        { Deployment, "maxUnavailable: 0", "maxUnavailable: 0%" },
    };

    [Theory]
    [MemberData(nameof(RightTypes))]
    public void A_value_of_the_fields_json_type_passes(string file, string find, string replacement)
    {
        using var repository = new RepositoryCopy().Replace(file, find, replacement);

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void Every_mismatch_in_a_document_is_reported()
    {
        using var repository = new RepositoryCopy().Replace(ConfigMap, "  S3_BUCKET:", "  MAX_ITEMS: 50\n  FEATURE_X: true\n  S3_BUCKET:");

        var findings = repository.Validate();

        Assert.Equal([repository.LineOf(ConfigMap, "MAX_ITEMS"), repository.LineOf(ConfigMap, "FEATURE_X")], findings.Select(f => f.Line).Order());
        Assert.All(findings, f => Assert.Equal(RuleIds.KubernetesSchema, f.RuleId));
    }

    [Fact]
    public void A_secret_value_is_not_repeated_in_the_finding()
    {
        using var repository = new RepositoryCopy().Replace("k8s/secret.yaml", "stringData:\n", "stringData:\n  PIN: 482915\n");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.KubernetesSchema);

        Assert.Contains("stringData.PIN", finding.Message, StringComparison.Ordinal);
        Assert.Contains("quote it: PIN: \"...\"", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("482915", finding.Message, StringComparison.Ordinal);
    }
}
