using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Commands.Hosting;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>
/// One silo started in-process exactly as the CLI starts it (ClusterSession, in-memory storage, checkpoints from a
/// models folder), with a known gateway port so that commands run in-process can connect to it as a client would.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    private ClusterSession? _silo;

    public int GatewayPort { get; } = Ports.Free();

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public IGrainFactory Grains => _silo!.Grains;

    public async Task InitializeAsync()
    {
        _silo = await ClusterSession.StartAsync(new ClusterSettings { InProcess = true }, CancellationToken.None,
            new Dictionary<string, string?> { ["Ecg:Models"] = TestModels.Folder(DemoCommand.Models), ["Ecg:GatewayPort"] = GatewayPort.ToString() });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null) await _silo.DisposeAsync();
    }

    /// <summary>A client of the silo through its gateway, as <c>ecg maps --gateway</c> connects.</summary>
    internal Task<ClusterSession> ConnectAsync() =>
        ClusterSession.StartAsync(new ClusterSettings { Gateway = Gateway }, CancellationToken.None);

    /// <summary>A new run on the first (or given) bundled model.</summary>
    public async Task<RunConfig> NewRunAsync(string prefix, string model = "kachuee-window-ds1")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 13)];
        return await Grains.GetGrain<IRunGrain>(name).Configure(new RunRequest(model));
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}
