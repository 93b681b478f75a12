using EcgOrleans.Client.Scaling;
using EcgOrleans.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Hosting;

/// <summary>
/// <c>ecg silo</c>: a silo without the HTTP surfaces, for scaling runs and scripts. It prints "ready" once it is
/// active in the cluster, then its message counts four times a second, and runs until stopped. Everything else comes from the "Ecg" configuration
/// (environment variables such as Ecg__Storage).
/// </summary>
internal sealed class SiloCommand : AsyncCommand<SiloSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SiloSettings settings, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ecg:Clustering"] = settings.Clustering,
            ["Ecg:SiloPort"] = settings.SiloPort.ToString(),
            ["Ecg:GatewayPort"] = settings.GatewayPort.ToString(),
            ["Ecg:PrimarySiloPort"] = settings.PrimaryPort.ToString(),
            ["Ecg:Redis"] = settings.Redis,
            ["Ecg:Models"] = settings.Models,
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.UseOrleans(silo => silo.AddEcgOrleans(builder.Configuration));
        using var messages = new MessageCounters();
        using var host = builder.Build();
        // SIGTERM and SIGINT reach the host's console lifetime, which asks the application to stop; Ctrl+C also
        // cancels the command. Either way the silo then leaves the cluster gracefully.
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested || cancellation.IsCancellationRequested)
        {
            Console.WriteLine("stopped before the silo had started");
            return 0;
        }
        Console.WriteLine($"ready: silo port {settings.SiloPort}, gateway port {settings.GatewayPort}, pid {Environment.ProcessId}");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation, lifetime.ApplicationStopping);
        try
        {
            // A parent running a scaling analysis reads these lines for messages per beat.
            while (true)
            {
                await Task.Delay(250, stopping.Token);
                Console.WriteLine(messages.Line());
            }
        }
        catch (OperationCanceledException)
        {
        }
        Console.WriteLine("stopping: deactivating grains and leaving the cluster");
        await host.StopAsync(CancellationToken.None);
        Console.WriteLine("stopped");
        return 0;
    }
}
