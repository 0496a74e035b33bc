using System.Runtime.InteropServices;

namespace Feeds.Cli;

internal static class Program
{
    /// <summary>Ctrl-C and SIGTERM cancel the running command, which stops at its next await and leaves nothing half-written.</summary>
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // A second Ctrl-C while the first is being honoured ends the process at once.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });

        return await CliApp.RunAsync(args, CliEnvironment.FromConsole(), cancellation.Token);
    }
}
