namespace CloudAge.Tools.GitOps.Tests.Fixtures;

/// <summary>One manifest and the exact substrings the edit may change (each unique in the text), old to new.</summary>
public sealed record CorpusCase(string File, string Text, params (string Old, string New)[] Replacements)
{
    /// <summary>The input with each old substring replaced at its one offset: what a byte-preserving edit must produce.</summary>
    public string Expected()
    {
        var text = Text;
        foreach (var (old, @new) in Replacements)
        {
            var at = text.IndexOf(old, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(old, at + 1, StringComparison.Ordinal) >= 0)
                throw new InvalidOperationException($"'{old}' must occur exactly once in the corpus case {File}.");
            text = text[..at] + @new + text[(at + old.Length)..];
        }
        return text;
    }
}

/// <summary>Manifests written the ways people write them; only the image value may change.</summary>
public static class GitManifestCorpus
{
    public const string Repository = "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage";
    public const string Tag = "sha-abc1234";
    public const string Digest = "sha256:4f2b3c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4";
    public const string NewReference = Repository + ":" + Tag + "@" + Digest;
    private const string R = Repository;

    public static IReadOnlyDictionary<string, CorpusCase> Cases { get; } = new Dictionary<string, CorpusCase>
    {
        ["comments, blank lines, trailing spaces, a sidecar"] = new("k8s/deployment.yaml", $$"""
            # CloudAge deployment: BumpTag edits only the image below.
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: cloudage   # the service
              labels: {app: cloudage}

            spec:
              replicas: 2
              template:
                spec:
                  containers:
                    - name: cloudage
                      # the app container
                      image: {{R}}:sha-0000000   
                      ports:
                        - containerPort: 8080
                    - name: proxy
                      image: docker.io/library/nginx:1.27 # sidecar, must not change

            """, ($"image: {R}:sha-0000000   ", $"image: {NewReference}   ")),

        ["double quotes and a comment"] = new("k8s/deployment.yaml", $"""
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: cloudage
                    image: "{R}:1.0.0" # pinned by hand
            """, ($"\"{R}:1.0.0\"", $"\"{NewReference}\"")),

        ["double quotes with an escape are rewritten whole"] = new("k8s/deployment.yaml", $"""
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: cloudage
                    image: "{R}:\x31.0"
            """, ($"\"{R}:\\x31.0\"", $"\"{NewReference}\"")),

        ["single quotes and an old digest"] = new("k8s/deployment.yaml", $"""
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: cloudage
                    image: '{R}@sha256:1111111111111111111111111111111111111111111111111111111111111111'
            """, ($"'{R}@sha256:1111111111111111111111111111111111111111111111111111111111111111'", $"'{NewReference}'")),

        ["flow style"] = new("k8s/deployment.yaml",
            "kind: Deployment\nspec: {template: {spec: {containers: [{name: cloudage, image: " + R + ":sha-0000000}, {name: x, image: \"busybox:1.36\"}]}}}\n",
            ($"image: {R}:sha-0000000}}", $"image: {NewReference}}}")),

        ["literal block scalar with strip chomping"] = new("k8s/deployment.yaml",
            $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: cloudage\n        image: |-\n          {R}:sha-0000000\n        ports: [{{containerPort: 8080}}]\n",
            ($"image: |-\n          {R}:sha-0000000\n", $"image: |-\n          {NewReference}\n")),

        ["folded block scalar with keep chomping and a comment"] = new("k8s/deployment.yaml",
            $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: cloudage\n        image: >+ # pinned by BumpTag\n          {R}:sha-0000000\n\n        args: [serve]\n",
            ($">+ # pinned by BumpTag\n          {R}:sha-0000000\n\n", $">+ # pinned by BumpTag\n          {NewReference}\n\n")),

        ["literal block scalar, clip chomping, at the end of the file"] = new("k8s/deployment.yaml",
            $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: cloudage\n        image: |\n          {R}@sha256:1111111111111111111111111111111111111111111111111111111111111111\n",
            ($"{R}@sha256:1111111111111111111111111111111111111111111111111111111111111111", NewReference)),

        ["flow mapping with single-quoted image inside a block list"] = new("k8s/deployment.yaml",
            $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - {{name: cloudage, image: '{R}:sha-0000000', ports: [{{containerPort: 8080}}]}}\n",
            ($"image: '{R}:sha-0000000'", $"image: '{NewReference}'")),

        ["a sidecar of the same repository is left alone; the container named cloudage is edited"] = new("k8s/deployment.yaml", $"""
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: migrate
                    image: {R}:sha-0000000
                    args: [migrate]
                  - name: cloudage
                    image: "{R}:sha-0000000"

            """, ($"image: \"{R}:sha-0000000\"", $"image: \"{NewReference}\"")),

        ["CRLF line endings and a BOM"] = new("k8s/deployment.yml",
            "\uFEFF# windows editor\r\nkind: Deployment\r\nspec:\r\n  template:\r\n    spec:\r\n      containers:\r\n      - name: cloudage\r\n" +
            $"        image: {R}:sha-0000000\r\n        env:\r\n        - {{name: A, value: \"1\"}}\r\n",
            ($"{R}:sha-0000000", NewReference)),

        ["several documents, an initContainer and a CronJob"] = new("k8s/all.yaml", $$"""
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: cloudage}
            ---
            # the deployment
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  initContainers:
                  - name: migrate
                    image: {{R}}:sha-0000000
                  containers:
                  - name: cloudage
                    image: {{R}}:sha-0000000
            ...
            ---
            apiVersion: batch/v1
            kind: CronJob
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                      - name: report
                        image: {{R}}:sha-1111111
            """,
            ($"migrate\n        image: {R}:sha-0000000", $"migrate\n        image: {NewReference}"),
            ($"cloudage\n        image: {R}:sha-0000000", $"cloudage\n        image: {NewReference}"),
            ($"{R}:sha-1111111", NewReference)),

        ["an anchor is edited, its aliases are not"] = new("k8s/deployment.yaml", $"""
            kind: Deployment
            spec:
              template:
                spec:
                  initContainers:
                  - name: migrate
                    image: &app {R}:sha-0000000
                  containers:
                  - name: cloudage
                    image: *app
            """, ($"&app {R}:sha-0000000", $"&app {NewReference}")),

        ["an explicit tag before a quoted value"] = new("k8s/deployment.yaml", $"""
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: cloudage
                    image: !!str   "{R}:sha-0000000"
            """, ($"!!str   \"{R}:sha-0000000\"", $"!!str   \"{NewReference}\"")),

        ["a repository that only shares a prefix is left alone"] = new("k8s/worker.yaml", $"""
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: worker
                    image: {R}-worker:sha-0000000
                  - name: cloudage
                    image: {R}:sha-0000000
            """, ($"{R}:sha-0000000", NewReference)),

        ["kustomization entry gains a digest line in the entry's indentation"] = new("k8s/kustomization.yaml", $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml
            images:
              - name: cloudage        # the placeholder used in deployment.yaml
                newName: {R}
                newTag: sha-0000000
              - name: busybox
                newTag: "1.36"
            """, ("newTag: sha-0000000", $"newTag: {Tag}\n    digest: {Digest}")),

        ["kustomization flow entry"] = new("k8s/overlays/prod/kustomization.yml", $$"""
            images:
            - {name: {{R}}, newTag: 'sha-0000000'}
            """, ("newTag: 'sha-0000000'}", $"newTag: '{Tag}', digest: {Digest}}}")),
    };

    public static TheoryData<string> Names => new(Cases.Keys);
}
