using CloudAge.Engine.Output;
using CloudAge.Engine.Parameters;
using CloudAge.Engine.Planning;
using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>Every human-facing output, compared with the files under Snapshots/ (UPDATE_SNAPSHOTS=1 rewrites them).</summary>
public sealed class CliSnapshotTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public CliSnapshotTests() => _harness.Environment["NO_COLOR"] = "1";

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Help_lists_targets_with_dependencies_then_parameters()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("  Compile (default) -> Restore, Lint", output);
        Snapshot.Match(EngineOutput.Normalize(output), "help.txt");
    }

    [Fact]
    public void Help_lists_parameters_with_environment_names_and_marks_secrets()
    {
        var (exitCode, output) = _harness.Run(new ParameterBuild(), "--help");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"--registry-password <text>\s+Registry password \[env REGISTRY_PASSWORD\] \[secret\]", output);
        Snapshot.Match(EngineOutput.Normalize(output), "help-parameters.txt");
    }

    [Fact]
    public void Plan_prints_a_tree_and_writes_a_self_contained_html_picture()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--plan", "Push");

        Assert.Equal(0, exitCode);
        Snapshot.Match(EngineOutput.Normalize(output), "plan-tree.txt");
        var html = File.ReadAllText(Path.Combine(_harness.Root, ".nuke", "temp", "execution-plan.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("class=\"node invoked\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<link", html);
        Snapshot.Match(EngineOutput.Normalize(html), "plan-html.txt");
    }

    [Fact]
    public void Plan_picture_routes_every_edge_around_the_boxes_and_its_legend_says_which_way_arrows_point()
    {
        // Everything depends on Test and Push; Test sits two columns left of it, with Publish and Push in between.
        var (exitCode, _) = _harness.Run(new PipelineBuild(), ["Compile"], "--plan", "Everything");
        var html = File.ReadAllText(Path.Combine(_harness.Root, ".nuke", "temp", "execution-plan.html"));

        Assert.Equal(0, exitCode);
        var boxes = System.Text.RegularExpressions.Regex.Matches(html, @"<rect x=""(\d+)"" y=""(\d+)"" width=""(\d+)"" height=""(\d+)""")
            .Select(m => (X: int.Parse(m.Groups[1].Value), Y: int.Parse(m.Groups[2].Value), W: int.Parse(m.Groups[3].Value), H: int.Parse(m.Groups[4].Value)))
            .ToList();
        var paths = System.Text.RegularExpressions.Regex.Matches(html, @"<path class=""edge[^""]*"" d=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.True(boxes.Count >= 9, html);
        Assert.Contains(paths, p => p.Contains(" L", StringComparison.Ordinal)); // at least one edge skips a column
        foreach (var path in paths)
        {
            foreach (var (x, y) in Sample(path))
            {
                // Strictly inside (1 px in): an edge may start and end on a box's border.
                var hit = boxes.FirstOrDefault(b => x > b.X + 1 && x < b.X + b.W - 1 && y > b.Y + 1 && y < b.Y + b.H - 1);
                Assert.True(hit == default, $"The edge {path} crosses the box at {hit} (point {x:0},{y:0}).");
            }
        }
        Assert.Contains("Arrows point the way work flows, A &#8594; B:", html);
        Assert.Contains("solid: B depends on A (A runs first)", html);
        Assert.DoesNotContain("Solid arrow: depends on", html);
    }

    // Points along an SVG path made of M, C (cubic) and L (line) commands, 50 per segment.
    private static IEnumerable<(double X, double Y)> Sample(string path)
    {
        var tokens = System.Text.RegularExpressions.Regex.Matches(path, @"[MCL]|-?\d+(\.\d+)?").Select(m => m.Value).ToList();
        var (x, y) = (0.0, 0.0);
        var i = 0;
        double Next() => double.Parse(tokens[i++], System.Globalization.CultureInfo.InvariantCulture);
        while (i < tokens.Count)
        {
            var command = tokens[i++];
            if (command == "M")
            {
                (x, y) = (Next(), Next());
            }
            else if (command == "L")
            {
                var (x1, y1) = (Next(), Next());
                for (var t = 0.0; t <= 1.0; t += 0.02)
                    yield return (x + (x1 - x) * t, y + (y1 - y) * t);
                (x, y) = (x1, y1);
            }
            else
            {
                var (ax, ay, bx, by, ex, ey) = (Next(), Next(), Next(), Next(), Next(), Next());
                for (var t = 0.0; t <= 1.0; t += 0.02)
                {
                    var u = 1 - t;
                    yield return (u * u * u * x + 3 * u * u * t * ax + 3 * u * t * t * bx + t * t * t * ex,
                        u * u * u * y + 3 * u * u * t * ay + 3 * u * t * t * by + t * t * t * ey);
                }
                (x, y) = (ex, ey);
            }
        }
    }

    [Fact]
    public void Plan_with_the_mermaid_format_prints_mermaid_text()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--plan", "--format", "mermaid", "Push");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("graph LR", output);
        Assert.Contains("  Push ==> Notify", output);
        Assert.Contains("  Test -.-> Publish", output);
        Assert.Contains("  Compile --> Publish", output);
        Snapshot.Match(EngineOutput.Normalize(output), "plan-mermaid.txt");
    }

    [Fact]
    public void A_successful_run_ends_with_a_summary_table_and_one_final_line()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--no-logo");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Build succeeded on ", output.TrimEnd().Split('\n')[^1]);
        Snapshot.Match(EngineOutput.Normalize(output), "summary-success.txt");
    }

    [Fact]
    public void A_failed_run_shows_the_error_in_the_log_and_its_first_line_in_the_summary()
    {
        var (exitCode, output) = _harness.Run(new FailureBuild(), "--no-logo");

        Assert.Equal(1, exitCode);
        Snapshot.Match(EngineOutput.Normalize(output), "summary-failure.txt");
    }

    [Fact]
    public void Bad_usage_prints_one_message_and_no_stack_trace()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--verbosity", "loud");

        Assert.Equal(2, exitCode);
        Assert.Equal("--verbosity takes quiet, minimal, normal or verbose, not 'loud'.\n", output);
    }

    [Fact]
    public void The_schema_lists_targets_as_an_enum_and_every_parameter()
    {
        var targets = TargetFactory.Create(new ParameterBuild());
        var schema = SchemaWriter.Create(targets, ParameterDescriptor.For(typeof(ParameterBuild)));

        Assert.Contains("\"enum\": [\n        \"Default\",\n        \"Push\"", schema.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("\"RegistryPassword\"", schema);
        Assert.Contains("\"Critical\"", schema);
        Snapshot.Match(EngineOutput.Normalize(schema), "schema.txt");
    }
}
