#:project ../build/Tools/Validation/CloudAge.Tools.Validation.csproj
#:property PublishAot=false

// Times ManifestValidator over N generated manifests (default 500): copies of the repository's k8s/ folder with
// renamed objects, so every rule runs, including the cross-document ones. Start-up (JIT, the Kubernetes type map)
// is measured apart from the steady-state runs, which is the figure the budget ("well under a second") is about.
using System.Diagnostics;
using CloudAge.Tools.Validation;

var root = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", ".."));
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500;
var work = Directory.CreateTempSubdirectory("cloudage-validate-bench-");
try
{
    var sources = new[] { "configmap.yaml", "serviceaccount.yaml", "deployment.yaml", "service.yaml", "namespace.yaml" };
    Directory.CreateDirectory(Path.Combine(work.FullName, "k8s"));
    Directory.CreateDirectory(Path.Combine(work.FullName, "docs"));
    File.Copy(Path.Combine(root, "docs", "iam-policy.json"), Path.Combine(work.FullName, "docs", "iam-policy.json"));
    for (var i = 0; i < count; i++)
    {
        var name = sources[i % sources.Length];
        var text = File.ReadAllText(Path.Combine(root, "k8s", name));
        if (name != "namespace.yaml")
        {
            text = text.Replace("name: cloudage", $"name: cloudage{i / sources.Length}", StringComparison.Ordinal)
                .Replace("AccountName: cloudage-sa", $"AccountName: cloudage{i / sources.Length}-sa", StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(work.FullName, "k8s", $"{i:D4}-{name}"), text);
    }

    var validator = new ManifestValidator();
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
