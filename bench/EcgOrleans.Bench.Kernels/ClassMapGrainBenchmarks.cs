using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EcgOrleans.Bench.Kernels;

/// <summary>
/// One ClassMapGrain on an in-process silo with memory storage: partial maps of 256 beats merged one after the
/// other (each waits for the persisted answer, as a record's batches do), and from several records at once. Per merge.
/// </summary>
[KernelJob(warmupCount: 2, iterationCount: 5), MemoryDiagnoser]
public class ClassMapGrainBenchmarks
{
    public const int SequentialMerges = 200;
    public const int Records = 8;
    public const int MergesPerRecord = 50;

    private static readonly ClassMapKey Key = ClassMapKey.ByReference(AamiClass.N);
    private IHost _host = null!;
    private IClassMapGrain _grain = null!;
    private PartialMap _partial = null!;
    private long _sequence;
    private string _modelsFolder = "";

    [GlobalSetup]
    public void Setup()
    {
        // No bundled models: the registry upload is not what is measured.
        _modelsFolder = Directory.CreateTempSubdirectory("ecg-kernels-models-").FullName;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ecg:SiloPort"] = FreePort().ToString(),
            ["Ecg:GatewayPort"] = FreePort().ToString(),
            ["Ecg:ClusterId"] = "kernels",
            ["Ecg:ServiceId"] = "kernels",
            ["Ecg:Models"] = _modelsFolder,
            ["Ecg:TorchThreads"] = "1",
        });
        builder.UseOrleans(silo => silo.AddEcgOrleans(builder.Configuration));
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        _grain = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IClassMapGrain>(GrainKeys.ClassMap("kernels", Key.ToString()));
        _partial = ClassMapConversions.ToPartial(Key, Partial());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        _host.Dispose();
        Directory.Delete(_modelsFolder, recursive: true);
    }

    /// <summary>One publisher's epochs: each applied before the next.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SequentialMerges)]
    public async Task MergeOneAtATime()
    {
        for (var i = 0; i < SequentialMerges; i++) await _grain.Apply("publisher-0", ++_sequence, _partial);
    }

    /// <summary>Eight silos' publishers sending at once: the grain is single-threaded, so this is its merge rate.</summary>
    [Benchmark(OperationsPerInvoke = Records * MergesPerRecord)]
    public async Task MergeFromEightPublishers()
    {
        var first = _sequence;
        _sequence += MergesPerRecord;
        await Task.WhenAll(Enumerable.Range(1, Records).Select(async publisher =>
        {
            for (var i = 1; i <= MergesPerRecord; i++) await _grain.Apply($"publisher-{publisher}", first + i, _partial);
        }));
    }

    private static ClassMapAccumulator Partial()
    {
        var random = new Random(100);
        var map = new ClassMapAccumulator(256, 4);
        var saliency = new float[260];
        var beat = new float[260];
        for (var b = 0; b < 256; b++)
        {
            for (var i = 0; i < saliency.Length; i++) (saliency[i], beat[i]) = (random.NextSingle(), random.NextSingle() * 2 - 1);
            map.Add(saliency, beat);
        }
        return map;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
