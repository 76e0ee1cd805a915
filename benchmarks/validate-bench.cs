#:project ../build/Tools/Validation/CloudAge.Tools.Validation.csproj
#:property PublishAot=false
// The build program's own runtime settings (build/_build.csproj), so Validate runs here as it runs in ./build.sh.
#:property TieredPGO=false
#:property ConcurrentGarbageCollection=false
#:property InvariantGlobalization=true

// Times ManifestValidator. Two modes (validate-bench.sh drives them):
//   <repo> [count]                 N generated manifests (default 500): copies of k8s/ with renamed objects, so every
//                                  rule runs, cross-document ones included; start-up apart from steady-state runs.
//   generate <repo> <MB> <out>     writes about MB megabytes of manifests as one multi-document file out/k8s/all.yaml
//   validate <dir> | parse <dir>   one run over dir/k8s: the validator, or the baseline (YamlDotNet's YamlStream
//                                  parsing the same files, nothing else), printing elapsed time and peak memory.
using System.Diagnostics;
using System.Text;
using CloudAge.Tools.Validation;
using YamlDotNet.RepresentationModel;

var inv = System.Globalization.CultureInfo.InvariantCulture;
var options = new ValidationOptions
{
    ManifestFolders = ["k8s", "argocd"],
    IamPolicyFile = "docs/iam-policy.json",
    AllowedIamActions = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "s3:PutObject", "s3:GetObject", "s3:ListBucket", "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
};
string[] sources = ["configmap.yaml", "serviceaccount.yaml", "deployment.yaml", "service.yaml"];

switch (args.FirstOrDefault())
{
    case "generate":
        Generate(args[1], double.Parse(args[2], inv), args[3]);
        return;
    case "validate":
    {
        var clock = Stopwatch.StartNew();
        var findings = new ManifestValidator(options with { ManifestFolders = ["k8s"], IamPolicyFile = null }, Console.WriteLine).Validate(args[1]);
        Report("validate", clock, $"{findings.Count} findings");
        foreach (var finding in findings.Take(3))
        {
            Console.WriteLine($"  {finding}");
        }

        return;
    }

    case "parse":
    {
        var clock = Stopwatch.StartNew();
        var documents = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(args[1], "k8s")))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            documents += stream.Documents.Count;
        }

        Report("parse", clock, $"{documents} documents");
        return;
    }
}

SteadyState(Path.GetFullPath(args.Length > 0 ? args[0] : ".."), args.Length > 1 ? int.Parse(args[1], inv) : 500);

void Report(string mode, Stopwatch clock, string what)
{
    using var self = Process.GetCurrentProcess();
    Console.WriteLine($"{mode}: {clock.Elapsed.TotalSeconds:F2} s wall, {self.TotalProcessorTime.TotalSeconds:F2} s CPU in process, peak working set {self.PeakWorkingSet64 / 1048576} MB, {what}");
}

string Copy(string root, string name, int i) =>
    File.ReadAllText(Path.Combine(root, "k8s", name))
        .Replace("name: cloudage", $"name: cloudage{i}", StringComparison.Ordinal)
        .Replace("AccountName: cloudage-sa", $"AccountName: cloudage{i}-sa", StringComparison.Ordinal);

void Generate(string root, double megabytes, string output)
{
    Directory.CreateDirectory(Path.Combine(output, "k8s"));
    var text = new StringBuilder(File.ReadAllText(Path.Combine(root, "k8s", "namespace.yaml")));
    var copies = 0;
    while (text.Length < megabytes * 1024 * 1024)
    {
        foreach (var name in sources)
        {
            text.Append("---\n").Append(Copy(root, name, copies));
        }

        copies++;
    }

    File.WriteAllText(Path.Combine(output, "k8s", "all.yaml"), text.ToString());
    Console.WriteLine($"generated {text.Length / 1048576.0:F1} MB: {copies} copies of the app ({copies * sources.Length + 1} documents) in one file");
}

void SteadyState(string root, int count)
{
    var work = Directory.CreateTempSubdirectory("cloudage-validate-bench-");
    try
    {
        string[] withNamespace = [.. sources, "namespace.yaml"];
        Directory.CreateDirectory(Path.Combine(work.FullName, "k8s"));
        Directory.CreateDirectory(Path.Combine(work.FullName, "docs"));
        File.Copy(Path.Combine(root, "docs", "iam-policy.json"), Path.Combine(work.FullName, "docs", "iam-policy.json"));
        for (var i = 0; i < count; i++)
        {
            var name = withNamespace[i % withNamespace.Length];
            var text = name == "namespace.yaml" ? File.ReadAllText(Path.Combine(root, "k8s", name)) : Copy(root, name, i / withNamespace.Length);
            File.WriteAllText(Path.Combine(work.FullName, "k8s", $"{i:D4}-{name}"), text);
        }

        var validator = new ManifestValidator(options);
        var clock = Stopwatch.StartNew();
        var findings = validator.Validate(work.FullName);
        Console.WriteLine($"first run (start-up included): {clock.ElapsedMilliseconds} ms, {findings.Count} findings over {count} manifests");
        foreach (var finding in findings.Take(5))
        {
            Console.WriteLine($"  {finding}");
        }

        // CPU time is reported beside wall time because on a shared machine wall time mostly measures the neighbours.
        var runs = new List<(double Wall, double Cpu)>();
        var process = Process.GetCurrentProcess();
        for (var run = 0; run < 5; run++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            clock.Restart();
            validator.Validate(work.FullName);
            process.Refresh();
            runs.Add((clock.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds));
        }

        var wall = runs.Select(r => r.Wall).Order().ToList();
        var cpuTimes = runs.Select(r => r.Cpu).Order().ToList();
        Console.WriteLine($"steady state over {count} manifests (5 runs): wall median {wall[2]:F0} ms (best {wall[0]:F0}), CPU median {cpuTimes[2]:F0} ms (best {cpuTimes[0]:F0})");
    }
    finally
    {
        work.Delete(recursive: true);
    }
}
