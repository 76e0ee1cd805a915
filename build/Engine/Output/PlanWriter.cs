using System.Net;
using System.Text;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Output;

/// <summary>--plan: the plan as a terminal tree, as Mermaid text, and as a self-contained HTML picture of the graph.</summary>
public static class PlanWriter
{
    public static string Tree(ExecutionPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine($"Execution plan ({plan.Targets.Count} targets, in order):");
        var number = 0;
        foreach (var entry in plan.Targets)
            text.AppendLine($"  {++number,2}. {entry.Name}{(entry.Status == TargetStatus.Skipped ? $"  (skipped: {entry.Note})" : string.Empty)}");
        text.AppendLine();
        foreach (var root in plan.Targets.Where(t => t.Invoked))
        {
            text.AppendLine(root.Name);
            Children(root.Target, string.Empty, [root.Target]);
        }
        return text.ToString();

        void Children(ExecutableTarget target, string indent, HashSet<ExecutableTarget> path)
        {
            var children = target.ExecutionDependencies.Select(d => (Target: d, Label: d.Name))
                .Concat(target.Triggers.Select(t => (Target: t, Label: t.Name + " (triggered)")))
                .ToList();
            for (var i = 0; i < children.Count; i++)
            {
                var last = i == children.Count - 1;
                var (child, label) = children[i];
                text.AppendLine(indent + (last ? "└── " : "├── ") + label);
                if (path.Add(child))
                {
                    Children(child, indent + (last ? "    " : "│   "), path);
                    path.Remove(child);
                }
            }
        }
    }

    /// <summary>Mermaid <c>graph LR</c>: <c>--&gt;</c> execution dependency, <c>-.-&gt;</c> ordering, <c>==&gt;</c> trigger.</summary>
    public static string Mermaid(ExecutionPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine("graph LR");
        var listed = plan.AllTargets.Where(t => !t.IsUnlisted || plan.Find(t) is not null).ToList();
        foreach (var target in listed)
            text.AppendLine($"  {target.Name}[{target.Name}]");
        foreach (var (from, to, kind) in Edges(listed))
            text.AppendLine($"  {from.Name} {kind switch { EdgeKind.Execution => "-->", EdgeKind.Ordering => "-.->", _ => "==>" }} {to.Name}");
        text.AppendLine("  classDef planned fill:#d7f0ff,stroke:#0969da,stroke-width:2px");
        text.AppendLine("  classDef skipped fill:#eeeeee,stroke:#999999,stroke-dasharray:4");
        var planned = plan.Targets.Where(t => t.Status != TargetStatus.Skipped).Select(t => t.Name).ToList();
        var skipped = plan.Targets.Where(t => t.Status == TargetStatus.Skipped).Select(t => t.Name).ToList();
        if (planned.Count > 0)
            text.AppendLine($"  class {string.Join(',', planned)} planned");
        if (skipped.Count > 0)
            text.AppendLine($"  class {string.Join(',', skipped)} skipped");
        return text.ToString();
    }

    internal enum EdgeKind
    {
        Execution,
        Ordering,
        Trigger,
    }

    /// <summary>Edges point the way work flows: from the target that runs first to the one that runs after it.</summary>
    internal static IEnumerable<(ExecutableTarget From, ExecutableTarget To, EdgeKind Kind)> Edges(IReadOnlyList<ExecutableTarget> targets)
    {
        var set = targets.ToHashSet();
        foreach (var target in targets)
        {
            foreach (var dependency in target.ExecutionDependencies.Where(set.Contains))
                yield return (dependency, target, EdgeKind.Execution);
            foreach (var before in target.OrderDependencies.Where(set.Contains))
                yield return (before, target, EdgeKind.Ordering);
            foreach (var triggered in target.Triggers.Where(set.Contains))
                yield return (target, triggered, EdgeKind.Trigger);
        }
    }

    /// <summary>An SVG drawing in one HTML file: targets in columns by depth, the plan highlighted, no script at all.</summary>
    public static string Html(ExecutionPlan plan)
    {
        var targets = plan.AllTargets.Where(t => !t.IsUnlisted || plan.Find(t) is not null).ToList();
        var edges = Edges(targets).ToList();
        var layer = targets.ToDictionary(t => t, _ => 0);
        for (var pass = 0; pass < targets.Count; pass++)
        {
            foreach (var (from, to, _) in edges)
                layer[to] = Math.Max(layer[to], layer[from] + 1);
        }
        const int width = 150, height = 36, gapX = 70, gapY = 22, margin = 20;
        var position = new Dictionary<ExecutableTarget, (int X, int Y)>();
        foreach (var column in targets.GroupBy(t => layer[t]).OrderBy(g => g.Key))
        {
            var row = 0;
            foreach (var target in column.OrderBy(t => t.Index))
                position[target] = (margin + column.Key * (width + gapX), margin + row++ * (height + gapY));
        }
        var svgWidth = position.Values.Select(p => p.X).DefaultIfEmpty().Max() + width + margin;
        var svgHeight = position.Values.Select(p => p.Y).DefaultIfEmpty().Max() + height + margin;

        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{svgWidth}\" height=\"{svgHeight}\" role=\"img\" aria-label=\"Target graph\">");
        svg.AppendLine("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/></marker></defs>");
        var rowsInColumn = targets.GroupBy(t => layer[t]).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (from, to, kind) in edges)
        {
            var inPlan = plan.Find(from) is not null && plan.Find(to) is not null;
            var path = Route(position[from], position[to], layer[from], layer[to]);
            svg.AppendLine($"<path class=\"edge {kind.ToString().ToLowerInvariant()}{(inPlan ? " in-plan" : string.Empty)}\" d=\"{path}\" marker-end=\"url(#arrow)\"/>");
        }
        foreach (var target in targets)
        {
            var entry = plan.Find(target);
            var css = entry is null ? "node" : entry.Status == TargetStatus.Skipped ? "node skipped" : entry.Invoked ? "node invoked" : "node planned";
            var (x, y) = position[target];
            var title = WebUtility.HtmlEncode(target.Description ?? target.Name) + (entry?.Note is { } note ? " — " + WebUtility.HtmlEncode(note) : string.Empty);
            svg.AppendLine($"<g class=\"{css}\"><title>{title}</title><rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" rx=\"6\"/><text x=\"{x + width / 2}\" y=\"{y + height / 2 + 5}\">{WebUtility.HtmlEncode(target.Name)}</text></g>");
        }
        svg.AppendLine("</svg>");

        // An edge leaves its box on the right and enters the next one on the left. Between columns it is a curve
        // inside the empty gap; across each column it skips over, it runs straight through the gap between two rows
        // (the one nearest its line), so it never crosses a box.
        string Route((int X, int Y) start, (int X, int Y) end, int fromColumn, int toColumn)
        {
            var d = new StringBuilder();
            var (x, y) = (start.X + width, start.Y + height / 2);
            d.Append($"M{x},{y}");
            var endY = end.Y + height / 2;
            for (var column = fromColumn + 1; column < toColumn; column++)
            {
                var left = margin + column * (width + gapX);
                var wanted = y + (endY - y) / (toColumn - column + 1);
                var passY = FreeY(column, wanted);
                d.Append($" C{x + gapX / 2},{y} {left - gapX / 2},{passY} {left},{passY} L{left + width},{passY}");
                (x, y) = (left + width, passY);
            }
            d.Append($" C{x + gapX / 2},{y} {end.X - gapX / 2},{endY} {end.X},{endY}");
            return d.ToString();
        }

        // The middle of the gap above row r is free of boxes; so is everything below the column's last box.
        int FreeY(int column, int wanted)
        {
            var best = margin - gapY / 2;
            for (var row = 0; row <= rowsInColumn.GetValueOrDefault(column); row++)
            {
                var gap = margin + row * (height + gapY) - gapY / 2;
                if (Math.Abs(gap - wanted) < Math.Abs(best - wanted))
                    best = gap;
            }
            return best;
        }

        var invoked = string.Join(", ", plan.Targets.Where(t => t.Invoked).Select(t => t.Name));
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Execution plan: {{WebUtility.HtmlEncode(invoked)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px; color: #1f2328; }
            .node rect { fill: #ffffff; stroke: #8c959f; stroke-width: 1.5; }
            .node text { text-anchor: middle; font-size: 13px; }
            .node.planned rect { fill: #d7f0ff; stroke: #0969da; stroke-width: 2; }
            .node.invoked rect { fill: #0969da; stroke: #0550ae; stroke-width: 2; }
            .node.invoked text { fill: #ffffff; font-weight: 600; }
            .node.skipped rect { fill: #f6f8fa; stroke: #8c959f; stroke-dasharray: 4; }
            .node.skipped text { fill: #8c959f; }
            .edge { fill: none; stroke: #afb8c1; stroke-width: 1.5; }
            .edge.in-plan { stroke: #57606a; stroke-width: 2; }
            .edge.ordering { stroke-dasharray: 5 4; }
            .edge.trigger { stroke-width: 3.5; }
            .legend span { display: inline-block; margin-right: 18px; }
            pre { background: #f6f8fa; padding: 12px; overflow: auto; }
            </style>
            </head>
            <body>
            <h1>Execution plan for {{WebUtility.HtmlEncode(invoked)}}</h1>
            <p class="legend"><span>Dark blue: requested</span><span>Light blue: runs as part of the plan</span><span>Dashed box: skipped</span><span>Arrows point the way work flows, A &#8594; B:</span><span>solid: B depends on A (A runs first)</span><span>dashed: B runs after A when both run</span><span>thick: A triggers B</span></p>
            {{svg}}
            <h2>Order</h2>
            <ol>{{string.Concat(plan.Targets.Select(t => $"<li>{WebUtility.HtmlEncode(t.Name)}{(t.Status == TargetStatus.Skipped ? $" (skipped: {WebUtility.HtmlEncode(t.Note ?? string.Empty)})" : string.Empty)}</li>"))}}</ol>
            <h2>Mermaid</h2>
            <pre>{{WebUtility.HtmlEncode(Mermaid(plan))}}</pre>
            </body>
            </html>

            """;
    }
}
