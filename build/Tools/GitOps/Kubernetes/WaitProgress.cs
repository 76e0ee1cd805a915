using System.Diagnostics;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>
/// The state lines of one wait (a rollout, a load balancer, the smoke check): a line is printed when it differs from the
/// one before, and printed again every <paramref name="interval"/> while it does not, with the time spent and the bound,
/// so a long wait shows it is alive.
/// </summary>
/// <param name="still">How the repeat says it goes on: "still waiting", "still trying".</param>
internal sealed class WaitProgress(Action<string> log, TimeSpan interval, TimeSpan bound, string still)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _logged;
    private string? _last;

    public void Report(string line)
    {
        if (line != _last)
            log(line);
        else if (_clock.Elapsed - _logged >= interval)
            log($"{line} ({still} after {_clock.Elapsed.TotalSeconds:0} s of at most {bound.TotalSeconds:0} s)");
        else
            return;
        _last = line;
        _logged = _clock.Elapsed;
    }
}
