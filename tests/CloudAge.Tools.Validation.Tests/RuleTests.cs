using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

public sealed class RuleTests
{
    private const string Deployment = "k8s/deployment.yaml";
    private const string Service = "k8s/service.yaml";
    private const string Policy = "docs/iam-policy.json";
    private const string Application = "argocd/application.yaml";
    private const string ConfigMap = "k8s/configmap.yaml";

    public static TheoryData<BrokenManifest> BrokenManifests() =>
    [
        new(RuleIds.YamlSyntax, Deployment, "  replicas: 2", "\treplicas: 2", "\treplicas"),
        new(RuleIds.YamlDuplicateKey, "k8s/configmap.yaml", "  S3_BUCKET:", "  AWS_REGION: \"eu-west-1\"\n  S3_BUCKET:", "\"eu-west-1\""),
        new(RuleIds.DocumentEmpty, "k8s/namespace.yaml", "apiVersion: v1", "---\n---\napiVersion: v1", "---"),
        new(RuleIds.ApiVersionKind, "k8s/configmap.yaml", "kind: ConfigMap\n", "", "apiVersion"),
        new(RuleIds.UnknownKind, Deployment, "apiVersion: apps/v1", "apiVersion: app/v1", "kind: Deployment"),
        new(RuleIds.KubernetesSchema, Deployment, "imagePullPolicy:", "imagePullPolcy:", "imagePullPolcy"),
        new(RuleIds.KubernetesSchema, Deployment, "  replicas: 2", "  replicas: two", "replicas: two"),
        new(RuleIds.KubernetesSchema, Service, "type: LoadBalancer", "type: [LoadBalancer]", "type: [LoadBalancer]"),
        new(RuleIds.ArgoCdSchema, Application, "selfHeal: true", "selfHeal: always", "selfHeal"),
        new(RuleIds.ArgoCdSchema, Application, "targetRevision:", "targetRevison:", "targetRevison"),
        new(RuleIds.ArgoCdSchema, Application, "  project: cloudage\n", "", "spec:"),
        new(RuleIds.KustomizeSchema, "k8s/kustomization.yaml", "kind: Kustomization", "kind: Kustomization\nnamespaces: cloudage", "namespaces"),
        new(RuleIds.WorkloadSelector, Deployment, "    matchLabels:\n      app.kubernetes.io/name: cloudage", "    matchLabels:\n      app.kubernetes.io/name: cloudage-old", "cloudage-old"),
        new(RuleIds.WorkloadSelector, Deployment, "    matchLabels:\n      app.kubernetes.io/name: cloudage\n  strategy", "    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: In\n        values: [cloudage-old]\n  strategy", "- key: app.kubernetes.io/name"),
        // apps/v1 requires a non-empty selector (ValidateDeploymentSpec).
        new(RuleIds.WorkloadSelector, Deployment, "  selector:\n    matchLabels:\n      app.kubernetes.io/name: cloudage\n  strategy", "  strategy", "spec:"),
        new(RuleIds.WorkloadSelector, Deployment, "  selector:\n    matchLabels:\n      app.kubernetes.io/name: cloudage\n  strategy", "  selector: {}\n  strategy", "selector: {}"),
        new(RuleIds.ServiceSelector, Service, "  selector:\n    app.kubernetes.io/name: cloudage", "  selector:\n    app.kubernetes.io/name: cloudage-web", "app.kubernetes.io/name: cloudage-web"),
        new(RuleIds.ServiceTargetPort, Service, "targetPort: 80", "targetPort: 8080", "targetPort"),
        // A Deployment's pods restart Always, the only policy apps validation accepts for them.
        new(RuleIds.RestartPolicyValid, Deployment, "      containers:", "      restartPolicy: OnFailure\n      containers:", "restartPolicy: OnFailure"),
        // More than one port: the API server requires every port to be named (validateServicePort).
        new(RuleIds.ServicePortsValid, Service, "      protocol: TCP", "      protocol: TCP\n    - port: 8080\n      targetPort: http", "- port: 8080"),
        new(RuleIds.ServicePortsValid, Service, "    - name: http\n", "    - name: HTTP\n", "name: HTTP"),
        new(RuleIds.ServicePortsValid, Service, "      protocol: TCP", "      protocol: TCP\n    - name: web\n      port: 80\n      targetPort: http", "- name: web"),
        new(RuleIds.ProbePort, Deployment, "port: 80\n            initialDelaySeconds: 15", "port: 8080\n            initialDelaySeconds: 15", "port: 8080"),
        new(RuleIds.ConfigMapRef, Deployment, "name: cloudage-config", "name: cloudage-settings", "cloudage-settings"),
        new(RuleIds.SecretRef, Deployment, "name: cloudage-secrets\n                optional: true", "name: cloudage-credentials", "cloudage-credentials"),
        new(RuleIds.ServiceAccountRef, Deployment, "serviceAccountName: cloudage-sa", "serviceAccountName: cloudage-runner", "serviceAccountName"),
        new(RuleIds.NamespaceConsistent, Service, "  namespace: cloudage", "  namespace: default", "namespace: default"),
        new(RuleIds.ArgoCdPath, Application, "path: k8s", "path: manifests", "path: manifests"),
        new(RuleIds.KustomizeResources, "k8s/kustomization.yaml", "  - service.yaml", "  - services.yaml", "services.yaml"),
        new(RuleIds.ContainerResources, Deployment, "              memory: 1Gi\n", "", "resources:"),
        new(RuleIds.ContainerProbes, Deployment, "          readinessProbe:", "          startupProbe:", "- name: cloudage"),
        new(RuleIds.ContainerProbes, Deployment, "          livenessProbe:\n            # /healthz answers without touching AWS, so a slow dependency does not get the pod restarted.\n            httpGet:\n              path: /healthz\n              port: 80\n", "          livenessProbe:\n", "livenessProbe:"),
        new(RuleIds.NoLatestTag, Deployment, "cloudage:0.0.0-placeholder", "cloudage:latest", "image:"),
        new(RuleIds.NoLatestTag, Deployment, "cloudage:0.0.0-placeholder", "cloudage", "image:"),
        new(RuleIds.MinReplicas, Deployment, "  replicas: 2", "  replicas: 1", "replicas: 1"),
        new(RuleIds.MaxUnavailableZero, Deployment, "maxUnavailable: 0", "maxUnavailable: 1", "maxUnavailable"),
        new(RuleIds.RollingUpdateValid, Deployment, "maxSurge: 1", "maxSurge: 0", "maxSurge: 0"),
        new(RuleIds.RollingUpdateValid, Deployment, "maxSurge: 1", "maxSurge: 0%", "maxSurge: 0%"),
        new(RuleIds.RequestWithinLimit, Deployment, "cpu: 250m", "cpu: \"1\"", "cpu: \"1\""),
        new(RuleIds.RequestWithinLimit, Deployment, "cpu: 250m", "cpu: 501m", "cpu: 501m"),
        new(RuleIds.RequestWithinLimit, Deployment, "memory: 512Mi", "memory: 2Gi", "memory: 2Gi"),
        new(RuleIds.ObjectName, Deployment, "  name: cloudage\n  namespace: cloudage", "  name: CloudAge\n  namespace: cloudage", "name: CloudAge"),
        new(RuleIds.ObjectName, ConfigMap, "  name: cloudage-config", "  name: cloudage_config", "cloudage_config"),
        new(RuleIds.ObjectName, Service, "  name: cloudage\n  namespace: cloudage", "  name: 1cloudage\n  namespace: cloudage", "1cloudage"),
        new(RuleIds.ObjectName, Service, "  name: cloudage\n  namespace: cloudage", "  name: cloudage.web\n  namespace: cloudage", "cloudage.web"),
        new(RuleIds.ObjectName, "k8s/namespace.yaml", "  name: cloudage", "  name: cloudage.prod", "cloudage.prod"),
        new(RuleIds.LabelsValid, ConfigMap, "app.kubernetes.io/part-of: cloudage", "app.kubernetes.io/part-of: cloud age", "part-of: cloud age"),
        new(RuleIds.LabelsValid, Deployment, "      labels:\n        app.kubernetes.io/name: cloudage\n", "      labels:\n        app.kubernetes.io/name: cloudage\n        team: platform/core\n", "team: platform/core"),
        new(RuleIds.LabelsValid, Service, "  annotations:\n", "  annotations:\n    example.com/owner/team: core\n", "owner/team"),
        new(RuleIds.LabelsValid, "k8s/poddisruptionbudget.yaml", "      app.kubernetes.io/name: cloudage\n", "      app.kubernetes.io/name: cloudage\n      Tier_: web\n", "Tier_"),
        new(RuleIds.IrsaRoleArn, "k8s/serviceaccount.yaml", "arn:aws:iam::123456789012:role/cloudage-pod-role", "arn:aws:iam::12345:user/ci", "role-arn"),
        new(RuleIds.SecretPlaceholders, "k8s/secret.yaml", "REPLACE_ME-not-a-secret", "tok_9f8a7b6c5d4e3f2a1b0c", "tok_"),
        new(RuleIds.IamJson, Policy, "\"Effect\": \"Allow\",", "\"Effect\": \"Allow\"", "\"Action\": ["),
        new(RuleIds.IamJson, Policy, "\"Effect\": \"Allow\",\n      \"Action\": \"s3:ListBucket\"", "\"Effect\": \"allow\",\n      \"Action\": \"s3:ListBucket\"", "\"Effect\": \"allow\""),
        new(RuleIds.IamVersion, Policy, "2012-10-17", "2008-10-17", "Version"),
        new(RuleIds.IamSid, Policy, "\"Sid\": \"AssetBucketListing\"", "\"Sid\": \"\"", "\"Sid\": \"\""),
        new(RuleIds.IamWildcardAction, Policy, "\"s3:ListBucket\"", "\"s3:*\"", "s3:*"),
        new(RuleIds.IamAllowedActions, Policy, "\"dynamodb:Query\"", "\"dynamodb:DeleteTable\"", "DeleteTable"),
        new(RuleIds.IamWildcardResource, Policy, "\"arn:aws:s3:::cloudage-assets-123456789012\"", "\"*\"", "\"Resource\": \"*\""),
        new(RuleIds.IamWildcardResourceName, Policy, "\"arn:aws:s3:::cloudage-assets-123456789012\"", "\"arn:aws:s3:::*\"", "arn:aws:s3:::*"),
        new(RuleIds.IamWildcardResourceName, Policy, "\"arn:aws:s3:::cloudage-assets-123456789012/*\"", "\"arn:aws:s3:::*/*\"", "arn:aws:s3:::*/*"),
        new(RuleIds.IamWildcardResourceName, Policy, "table/cloudage-assignments", "table/*", "table/*"),
        new(RuleIds.IamWildcardResourceName, Policy, "foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "foundation-model/*", "foundation-model/*"),
        new(RuleIds.KustomizeSecret, "k8s/kustomization.yaml", "  - service.yaml", "  - service.yaml\n  - secret.yaml", "- secret.yaml"),
        new(RuleIds.ConfigMapSecrets, ConfigMap, "  S3_BUCKET:", "  UPLOAD_KEY_ID: \"AKIAIOSFODNN7EXAMPLE\"\n  S3_BUCKET:", "UPLOAD_KEY_ID"),
        new(RuleIds.ConfigMapSecrets, ConfigMap, "  S3_BUCKET:", "  DB_PASSWORD: \"hunter2-but-longer\"\n  S3_BUCKET:", "DB_PASSWORD"),
        new(RuleIds.ConfigMapSecrets, ConfigMap, "  S3_BUCKET:", "  tls.pem: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEpAIBAAKCAQEA\n    -----END RSA PRIVATE KEY-----\n  S3_BUCKET:", "tls.pem"),
        new(RuleIds.ConfigMapSecrets, ConfigMap, "  S3_BUCKET:", "  GIT_AUTH: \"ghp_0123456789abcdefghijABCDEFGHIJ012345\"\n  S3_BUCKET:", "GIT_AUTH"),
        new(RuleIds.EnvSecrets, Deployment, "                  key: AWS_REGION\n", "              value: \"http://+:80\"\n            - name: apiKey\n              value: \"sk-0123456789\"\n", "sk-0123456789"),
        new(RuleIds.PssPrivileged, Deployment, "            allowPrivilegeEscalation: false\n", "            allowPrivilegeEscalation: false\n            privileged: true\n", "privileged: true"),
        new(RuleIds.PssHostNamespaces, Deployment, "      serviceAccountName: cloudage-sa", "      hostPID: true\n      serviceAccountName: cloudage-sa", "hostPID"),
        new(RuleIds.PssHostProcess, Deployment, "        runAsGroup: 1654\n", "        runAsGroup: 1654\n        windowsOptions:\n          hostProcess: true\n", "hostProcess"),
        new(RuleIds.PssHostPath, Deployment, "          emptyDir:\n            sizeLimit: 64Mi", "          hostPath:\n            path: /tmp", "hostPath:"),
        new(RuleIds.PssHostPorts, Deployment, "              containerPort: 80\n", "              containerPort: 80\n              hostPort: 8080\n", "hostPort"),
        new(RuleIds.PssProbeHost, Deployment, "              path: /healthz\n", "              host: 169.254.169.254\n              path: /healthz\n", "host: 169.254.169.254"),
        new(RuleIds.PssCapabilities, Deployment, "                - ALL\n", "                - ALL\n              add:\n                - SYS_ADMIN\n", "SYS_ADMIN"),
        new(RuleIds.PssCapabilities, Deployment, "                - ALL\n", "                - NET_RAW\n", "capabilities:"),
        new(RuleIds.PssPrivilegeEscalation, Deployment, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", "allowPrivilegeEscalation"),
        new(RuleIds.PssRunAsNonRoot, Deployment, "            runAsNonRoot: true\n", "            runAsNonRoot: false\n", "runAsNonRoot: false"),
        new(RuleIds.PssRunAsUser, Deployment, "        runAsUser: 1654", "        runAsUser: 0", "runAsUser: 0"),
        new(RuleIds.PssSeccomp, Deployment, "          type: RuntimeDefault", "          type: Unconfined", "Unconfined"),
        new(RuleIds.PssAppArmor, Deployment, "            readOnlyRootFilesystem: true\n", "            readOnlyRootFilesystem: true\n            appArmorProfile:\n              type: Unconfined\n", "Unconfined"),
        new(RuleIds.PssSeLinux, Deployment, "            readOnlyRootFilesystem: true\n", "            readOnlyRootFilesystem: true\n            seLinuxOptions:\n              type: spc_t\n", "spc_t"),
        new(RuleIds.PssProcMount, Deployment, "            readOnlyRootFilesystem: true\n", "            readOnlyRootFilesystem: true\n            procMount: Unmasked\n", "procMount"),
        new(RuleIds.PssSysctls, Deployment, "net.ipv4.ip_unprivileged_port_start", "kernel.msgmax", "kernel.msgmax"),
        new(RuleIds.PssVolumeTypes, Deployment, "          emptyDir:\n            sizeLimit: 64Mi", "          nfs:\n            server: nfs.example.com\n            path: /exports", "nfs:"),
    ];

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void A_broken_manifest_is_reported_with_its_file_line_and_rule(BrokenManifest broken)
    {
        using var repository = new RepositoryCopy().Replace(broken.File, broken.Find, broken.Replacement);
        var expectedLine = repository.LineOf(broken.File, broken.LineMarker);

        var findings = repository.Validate();

        Assert.Contains(findings, f => f.File == broken.File && f.RuleId == broken.Rule && f.Line == expectedLine);
    }

    [Fact]
    public void Every_rule_except_the_config_check_has_a_broken_fixture()
    {
        var covered = BrokenManifests().Cast<object[]>().Concat(ProductionRuleTests.BrokenManifests().Cast<object[]>()).Select(row => ((BrokenManifest)row[0]).Rule)
            .Concat([RuleIds.FileNotText, RuleIds.FileEmpty, RuleIds.Config])
            .Concat([RuleIds.FileNotRegular, RuleIds.SymlinkOutOfRepo, RuleIds.YamlAliasLimit]) // FileSystemTests, AliasTests
            .ToHashSet();

        Assert.Equal(Array.Empty<string>(), RuleIds.All.Keys.Where(id => !covered.Contains(id)).ToArray());
    }
}
