using CloudAge.Engine.Cli;
using CloudAge.Engine.Planning;
using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>The planner is a pure function: these tests build graphs and plan them without running anything.</summary>
public sealed class PlannerTests
{
    private static IReadOnlyList<ExecutableTarget> Graph(object build) => TargetFactory.Create(build);

    private static List<string> Order(ExecutionPlan plan) => plan.Targets.Select(t => t.Name).ToList();

    [Fact]
    public void Plan_pulls_in_execution_dependencies_in_dependency_order()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Publish"]));

        Assert.Equal(["Restore", "Lint", "Compile", "Publish"], Order(plan));
    }

    [Fact]
    public void After_orders_only_when_both_targets_are_scheduled()
    {
        var withTest = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Publish", "Test"]));
        var withoutTest = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Publish"]));

        Assert.True(Order(withTest).IndexOf("Test") < Order(withTest).IndexOf("Publish"));
        Assert.DoesNotContain("Test", Order(withoutTest));
    }

    [Fact]
    public void Before_makes_clean_run_before_restore_without_pulling_it_in()
    {
        var both = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Compile", "Clean"]));
        var compileOnly = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Compile"]));

        Assert.Equal("Clean", Order(both)[0]);
        Assert.DoesNotContain("Clean", Order(compileOnly));
    }

    [Fact]
    public void TriggeredBy_appends_the_triggered_target_after_its_trigger()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Push"]));

        Assert.Equal("Notify", Order(plan)[^1]);
        Assert.True(Order(plan).IndexOf("Push") < Order(plan).IndexOf("Notify"));
    }

    [Fact]
    public void DependentFor_pulls_the_target_in_before_its_dependent()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Compile"]));

        Assert.Equal(["Restore", "Lint", "Compile"], Order(plan));
    }

    [Fact]
    public void A_false_static_condition_skips_the_target_and_dependencies_nobody_else_needs()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild { PushAllowed = false }), new PlanRequest(["Push"]));

        var push = plan.Targets.Single(t => t.Name == "Push");
        Assert.Equal(TargetStatus.Skipped, push.Status);
        Assert.Equal("OnlyWhenStatic: PushAllowed was false", push.Note);
        Assert.All(plan.Targets.Where(t => t.Name is "Publish" or "Compile" or "Restore"), t => Assert.Equal(TargetStatus.Skipped, t.Status));
    }

    [Fact]
    public void A_skipped_targets_dependency_still_runs_when_another_scheduled_target_needs_it()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild { PushAllowed = false }), new PlanRequest(["Everything"]));

        Assert.Equal(TargetStatus.Skipped, plan.Targets.Single(t => t.Name == "Push").Status);
        Assert.Equal(TargetStatus.Skipped, plan.Targets.Single(t => t.Name == "Publish").Status);
        Assert.Equal(TargetStatus.Scheduled, plan.Targets.Single(t => t.Name == "Compile").Status);
        Assert.Equal(TargetStatus.Scheduled, plan.Targets.Single(t => t.Name == "Test").Status);
    }

    [Fact]
    public void Skip_without_names_skips_everything_that_was_not_invoked()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Publish"], []));

        Assert.Equal(["Publish"], plan.Targets.Where(t => t.Status == TargetStatus.Scheduled).Select(t => t.Name));
        Assert.All(plan.Targets.Where(t => t.Name != "Publish"), t => Assert.Equal("skipped by --skip", t.Note));
    }

    [Fact]
    public void Skip_with_names_skips_only_those()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Publish"], ["restore"]));

        Assert.Equal(TargetStatus.Skipped, plan.Targets.Single(t => t.Name == "Restore").Status);
        Assert.Equal(TargetStatus.Scheduled, plan.Targets.Single(t => t.Name == "Compile").Status);
    }

    [Fact]
    public void Names_match_ignoring_case_and_hyphens()
    {
        var plan = Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["com-PILE"]));

        Assert.Equal("Compile", Order(plan)[^1]);
    }

    [Fact]
    public void An_unknown_target_gets_a_suggestion_and_the_list_of_targets()
    {
        var error = Assert.Throws<UsageException>(() => Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Publsh"])));

        Assert.Contains("Target with name 'Publsh' does not exist. Did you mean 'Publish'?", error.Message);
        Assert.Contains("Available targets are: Clean, Restore, Compile, Test, Publish, Push, Notify, Lint, Everything.", error.Message);
        Assert.DoesNotContain("Secret", error.Message);
    }

    [Fact]
    public void The_default_targets_run_when_none_is_named()
    {
        var targets = Graph(new PipelineBuild());
        targets.Single(t => t.Name == "Test").IsDefault = true;

        var plan = Planner.Plan(targets, new PlanRequest([]));

        Assert.Equal("Test", Order(plan)[^1]);
    }

    [Fact]
    public void A_cycle_is_reported_as_a_path()
    {
        var error = Assert.Throws<UsageException>(() => GraphValidator.Validate(Graph(new CycleBuild())));

        Assert.Contains("Circular dependencies between targets: A -> B -> C -> A.", error.Message);
    }

    [Fact]
    public void A_target_depending_on_itself_is_reported()
    {
        var error = Assert.Throws<UsageException>(() => GraphValidator.Validate(Graph(new SelfBuild())));

        Assert.Contains("Target 'Loop' cannot have a dependency on itself.", error.Message);
    }

    [Fact]
    public void Plans_are_deterministic()
    {
        var first = Order(Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Everything", "Clean"])));
        var second = Order(Planner.Plan(Graph(new PipelineBuild()), new PlanRequest(["Clean", "Everything"])));

        Assert.Equal(first, second);
    }
}
