using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Commands.Cluster;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Tests;

namespace EcgOrleans.Client.Tests;

/// <summary>A client with no cluster to reach says so at once, in one line; the local cluster script and the client agree on the cluster.</summary>
public sealed class ConnectionTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task With_no_silo_at_the_gateway_a_command_fails_within_seconds_naming_the_address_and_how_to_start_one()
    {
        var gateway = $"127.0.0.1:{ClosedPort()}";
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ClusterConnectionException>(() =>
            EcgApp.Create(propagateExceptions: true).RunAsync(["maps", "--run", "x", "--gateway", gateway]));

        Assert.True(clock.Elapsed < Quick, $"{clock.Elapsed.TotalSeconds:0.0} s");
        Assert.StartsWith($"no silo listens at {gateway}; start one with", e.Message);
        Assert.Contains("--in-process", e.Message);
    }

    [Fact]
    public async Task With_no_redis_a_command_fails_within_seconds_naming_it()
    {
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ClusterConnectionException>(() =>
            EcgApp.Create(propagateExceptions: true).RunAsync(["maps", "--run", "x", "--redis", $"127.0.0.1:{ClosedPort()},abortConnect=false"]));

        Assert.True(clock.Elapsed < Quick, $"{clock.Elapsed.TotalSeconds:0.0} s");
        Assert.StartsWith("no Redis answers at 127.0.0.1:", e.Message);
    }

    [Fact]
    public async Task The_printed_error_is_one_line_on_standard_error_and_the_exit_code_is_not_zero()
    {
        var original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        int code;
        try
        {
            code = await EcgApp.Create().RunAsync(["maps", "--run", "x", "--gateway", $"127.0.0.1:{ClosedPort()}"]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.NotEqual(0, code);
        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: no silo listens at 127.0.0.1:", lines[0]);
    }

    [Fact]
    public void A_refused_connection_names_the_ids_tried_and_the_ones_silos_use()
    {
        var message = ClusterConnection.Refused(new MapsSettings { ClusterId = "other", Gateway = "127.0.0.1:1" }, "127.0.0.1:1",
            new InvalidOperationException("Unable to connect\n  at somewhere"));

        Assert.StartsWith("a silo listens at 127.0.0.1:1 but refused cluster id 'other' / service id 'ecg-orleans' (Unable to connect)", message);
        Assert.Contains("--cluster-id", message);
        Assert.DoesNotContain("\n", message);
    }

    [Theory]
    [InlineData("127.0.0.1:6380", "127.0.0.1", 6380)]
    [InlineData("redis.local", "redis.local", 6379)]
    [InlineData("abortConnect=false,10.0.0.2:7000,password=x", "10.0.0.2", 7000)]
    public void The_redis_endpoint_probed_is_the_first_of_the_connection_string(string connection, string host, int port) =>
        Assert.Equal((host, port), ClusterConnection.RedisEndpoint(connection));

    [Fact]
    public void The_local_cluster_script_starts_silos_with_the_ids_and_gateway_the_client_uses_by_default()
    {
        var script = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "deploy", "local-cluster.sh"));
        var client = new MapsSettings();
        var silo = new EcgOptions();

        Assert.Equal(client.ClusterId, ScriptDefault(script, "cluster_id", "ECG_CLUSTER_ID"));
        Assert.Equal(client.ServiceId, ScriptDefault(script, "service_id", "ECG_SERVICE_ID"));
        Assert.Equal(silo.ClusterId, client.ClusterId);
        Assert.Equal(silo.ServiceId, client.ServiceId);
        Assert.Contains("Ecg__ClusterId=\"$cluster_id\" Ecg__ServiceId=\"$service_id\"", script);
        // The hint it prints names the first silo's gateway: the client's default gateway.
        Assert.Equal(ClusterDefaults.Gateway, $"127.0.0.1:{ScriptDefault(script, "gateway_base", "ECG_GATEWAY_PORT_BASE")}");
        Assert.Contains("--gateway 127.0.0.1:$gateway_base$ids", script);
    }

    private static string ScriptDefault(string script, string variable, string environment)
    {
        var match = Regex.Match(script, $"^{variable}=\"\\$\\{{{environment}:-([^}}]*)\\}}\"$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no default for {variable} in local-cluster.sh");
        return match.Groups[1].Value;
    }

    /// <summary>A loopback port nothing listens on (just released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
