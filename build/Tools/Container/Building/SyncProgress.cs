namespace CloudAge.Tools.Container.Building;

/// <summary>
/// Reports on the caller's thread: <see cref="Progress{T}"/> posts to the thread pool and would reorder the engine's messages.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
