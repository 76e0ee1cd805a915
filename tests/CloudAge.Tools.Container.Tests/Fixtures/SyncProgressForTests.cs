namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>Collects progress on the reporting thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgressForTests<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
