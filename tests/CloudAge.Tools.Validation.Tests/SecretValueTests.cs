using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

public sealed class SecretValueTests
{
    private const string ConfigMap = "k8s/configmap.yaml";

    [Theory]
    [InlineData("TOKEN_AUDIENCE", "sts.amazonaws.com")]
    [InlineData("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token")]
    [InlineData("SECRET_NAME", "cloudage-secrets")]
    [InlineData("PASSWORD_MIN_LENGTH", "12")]
    [InlineData("DB_PASSWORD", "")]
    [InlineData("KEY_ID_PREFIX", "AKIA")]
    public void Settings_about_secrets_are_not_secrets(string key, string value)
    {
        using var repository = new RepositoryCopy().Replace(ConfigMap, "  S3_BUCKET:", $"  {key}: \"{value}\"\n  S3_BUCKET:");

        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }

    [Fact]
    public void A_finding_names_the_key_and_never_the_value()
    {
        using var repository = new RepositoryCopy().Replace(ConfigMap, "  S3_BUCKET:", "  ADMIN_PASSWORD: \"s3cr3t-V4lue\"\n  S3_BUCKET:");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(RuleIds.ConfigMapSecrets, finding.RuleId);
        Assert.Contains("ADMIN_PASSWORD", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", finding.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_env_value_that_refers_to_another_variable_is_not_a_literal()
    {
        using var repository = new RepositoryCopy().Replace("k8s/deployment.yaml", "                  key: AWS_REGION\n",
            "              value: \"http://+:80\"\n            - name: DB_PASSWORD\n              value: \"$(ASPNETCORE_URLS)\"\n");

        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }

    [Fact]
    public void An_env_value_from_a_secret_reference_is_not_a_literal()
    {
        using var repository = new RepositoryCopy().Replace("k8s/deployment.yaml", "                  key: AWS_REGION\n",
            "              value: \"http://+:80\"\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: cloudage-secrets\n                  key: EXAMPLE_API_TOKEN\n");

        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }
}
