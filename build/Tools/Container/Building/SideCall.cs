namespace CloudAge.Tools.Container.Building;

/// <summary>A call made beside another that is no longer wanted: stopped, then awaited, so nothing outlives its caller.</summary>
internal static class SideCall
{
    /// <summary>
    /// Cancels <paramref name="stop"/> and awaits <paramref name="call"/>, dropping whatever it ends with: its result is
    /// not the caller's answer, and the caller's own error (or none) is the one reported.
    /// </summary>
    public static async Task DiscardAsync(Task call, CancellationTokenSource stop)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await call.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a discarded call: every failure of it is dropped on purpose (see above)
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
