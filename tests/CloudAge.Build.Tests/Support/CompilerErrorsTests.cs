using CloudAge.Build.Support;

namespace CloudAge.Build.Tests.Support;

/// <summary>Compiler errors read from dotnet build's output, once each, on files relative to the repository.</summary>
public sealed class CompilerErrorsTests
{
    [Fact]
    public void Each_error_is_read_once_relative_to_the_root_and_warnings_and_MSBuild_lines_are_not()
    {
        var root = OperatingSystem.IsWindows() ? @"C:\src\cloudage" : "/src/cloudage";
        var file = Path.Combine(root, "app", "Program.cs");
        var output = string.Join('\n',
            "  Determining projects to restore...",
            $"{file}(12,5): error CS0103: The name 'x' does not exist in the current context [{Path.Combine(root, "app", "CloudAge.App.csproj")}]",
            $"{file}(3): warning CS0168: The variable 'y' is declared but never used [{Path.Combine(root, "app", "CloudAge.App.csproj")}]",
            "/elsewhere/Other.cs(1,1): error CS1002: ; expected\r",
            "MSBUILD : error MSB1009: Project file does not exist.",
            "Build FAILED.",
            $"{file}(12,5): error CS0103: The name 'x' does not exist in the current context [{Path.Combine(root, "app", "CloudAge.App.csproj")}]");

        var errors = CompilerErrors.Read(output, root);

        Assert.Equal(
            [
                new CompilerError("app/Program.cs", 12, 5, "CS0103: The name 'x' does not exist in the current context"),
                new CompilerError("/elsewhere/Other.cs", 1, 1, "CS1002: ; expected"),
            ], errors);
    }
}
