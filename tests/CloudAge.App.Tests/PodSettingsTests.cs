using CloudAge.App.Tests.Fixtures;

namespace CloudAge.App.Tests;

/// <summary>The container tests run the image with the settings k8s/deployment.yaml gives the pod, read from it.</summary>
public sealed class PodSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudage-pod-settings-").FullName;

    [Fact]
    public void The_deployment_gives_the_container_its_user_a_read_only_root_with_a_writable_tmp_and_no_capabilities()
    {
        var flags = string.Join(' ', PodSettings.DockerRunFlags());

        Assert.Contains("--user 1654:1654", flags, StringComparison.Ordinal);
        Assert.Contains("--read-only --tmpfs /tmp", flags, StringComparison.Ordinal);
        Assert.Contains("--cap-drop ALL", flags, StringComparison.Ordinal);
        Assert.Contains("--security-opt no-new-privileges", flags, StringComparison.Ordinal);
        Assert.Contains("--sysctl net.ipv4.ip_unprivileged_port_start=0", flags, StringComparison.Ordinal);
        // Values taken from the ConfigMap are the tests' to set; the listen address is the image's own.
        Assert.DoesNotContain("--env", flags, StringComparison.Ordinal);
    }

    [Fact]
    public void A_writable_root_a_container_level_user_and_literal_env_values_are_followed()
    {
        var path = Path.Combine(_directory, "deployment.yaml");
        File.WriteAllText(path, """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  securityContext:
                    runAsUser: 1654
                  containers:
                    - name: app
                      env:
                        - name: LITERAL
                          value: "yes"
                        - name: FROM_CONFIG
                          valueFrom:
                            configMapKeyRef: {name: config, key: FROM_CONFIG}
                      securityContext:
                        runAsUser: 2000
                        readOnlyRootFilesystem: false
                      volumeMounts:
                        - name: tmp
                          mountPath: /tmp
                  volumes:
                    - name: tmp
                      emptyDir: {}
            """);

        var flags = PodSettings.DockerRunFlags(path);

        Assert.Equal(["--user", "2000", "--env", "LITERAL=yes"], flags);
    }

    [Fact]
    public void The_probes_and_the_load_balancer_ask_the_health_path_the_access_log_leaves_out_when_it_passes()
    {
        var paths = PodSettings.HealthCheckPaths();

        Assert.All(paths, path => Assert.True(path.Value == ServiceApp.HealthPath, $"{path.Key} asks {path.Value ?? "nothing"}"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
