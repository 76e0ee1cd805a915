using CloudAge.Engine;
using CloudAge.Tools.Container.Pushing;
using Spectre.Console;

namespace CloudAge.Build.Support;

/// <summary>
/// Shows a push: a Spectre.Console progress bar per layer in an interactive terminal, and one plain line per layer
/// state change elsewhere (CI logs, redirected output), so logs stay readable.
/// </summary>
public static class PushProgress
{
    public static async Task<PushResult> Run(bool interactive, Func<IProgress<LayerProgress>, Task<PushResult>> push)
    {
        if (!interactive || Console.IsOutputRedirected)
            return await push(new PlainLines());

        PushResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var progress = new SynchronousProgress(update =>
                {
                    lock (bars)
                    {
                        if (!bars.TryGetValue(update.LayerId, out var bar))
                            bars[update.LayerId] = bar = context.AddTask(update.LayerId, maxValue: 1);
                        bar.Description = $"{update.LayerId} {update.Status}";
                        if (update.Total > 0)
                        {
                            bar.MaxValue = update.Total;
                            bar.Value = update.Current;
                        }
                        if (update.Status is "Pushed" or "Layer already exists")
                            bar.Value = bar.MaxValue;
                    }
                });
                result = await push(progress);
            });
        return result!;
    }

    private sealed class PlainLines : IProgress<LayerProgress>
    {
        private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

        public void Report(LayerProgress value)
        {
            lock (_last)
            {
                if (_last.TryGetValue(value.LayerId, out var status) && status == value.Status)
                    return;
                _last[value.LayerId] = value.Status;
            }
            Log.Information($"  {value.LayerId}: {value.Status}{(value.Total > 0 ? $" ({value.Total / 1024} KiB)" : string.Empty)}");
        }
    }

    private sealed class SynchronousProgress(Action<LayerProgress> report) : IProgress<LayerProgress>
    {
        public void Report(LayerProgress value) => report(value);
    }
}
