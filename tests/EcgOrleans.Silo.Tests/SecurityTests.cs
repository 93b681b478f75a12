using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcgOrleans.Silo.Api;
using EcgOrleans.Silo.Live;
using Microsoft.Extensions.DependencyInjection;

namespace EcgOrleans.Silo.Tests;

/// <summary>Issue 18: what unauthenticated clients, read-only keys, crafted uploads and slow readers can and cannot do.</summary>
[Collection(SiloCollection.Name)]
public sealed class SecurityTests(SiloFixture silo)
{
    private static SecuritySilo Secure => SecuritySilo.Shared;

    [Fact]
    public async Task The_dashboard_needs_a_key_of_either_role()
    {
        using var anonymous = Secure.Client();
        using var refused = await anonymous.GetAsync("/dashboard/");
        await SiloFixture.AssertProblem(refused, HttpStatusCode.Unauthorized, "missing-api-key");
        Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        using (var data = await anonymous.GetAsync("/dashboard/ClusterStats"))
            Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);

        using var reader = Secure.Client(SecuritySilo.ReadKey);
        using var page = await reader.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // A browser sends the key as the Basic password, which counts under /dashboard and nowhere else.
        using var browser = Secure.Client();
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"me:{SiloFactory.ApiKey}")));
        using (var viaBasic = await browser.GetAsync("/dashboard/"))
            Assert.Equal(HttpStatusCode.OK, viaBasic.StatusCode);
        using var write = await browser.PutAsJsonAsync("/api/runs/basic-run", new { model = "none" });
        await SiloFixture.AssertProblem(write, HttpStatusCode.Unauthorized, "missing-api-key");
    }

    [Fact]
    public async Task The_dashboard_answers_paths_it_cannot_read_with_a_4xx_and_streams_no_log()
    {
        using var reader = Secure.Client(SecuritySilo.ReadKey);
        using var bad = await reader.GetAsync("/dashboard/SiloProperties/bad");
        Assert.InRange((int)bad.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var trace = await reader.GetAsync("/dashboard/Trace", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.NotEqual(HttpStatusCode.OK, trace.StatusCode);
        Assert.DoesNotContain(Secure.OperatorLog.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("/dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_checkpoint_declaring_a_tensor_of_rank_0x7FFFFFFF_is_422_and_the_silo_carries_on()
    {
        var crafted = Crafted(TestModels.Checkpoint(), weights =>
        {
            var (rankAt, _) = FirstTensorRank(weights);
            return [.. weights[..rankAt], 0xFF, 0xFF, 0xFF, 0xFF, 0x07, .. weights[(rankAt + 1)..]];
        });
        using var response = await silo.Writer.PostAsync("/api/models/crafted-rank", SiloFixture.Checkpoint(crafted));
        var problem = await SiloFixture.AssertProblem(response, HttpStatusCode.UnprocessableEntity, "invalid-model");
        Assert.Contains("rank 2147483647", problem.GetProperty("detail").GetString());

        using var models = await silo.Reader.GetAsync("/api/models");
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

    [Fact]
    public async Task A_checkpoint_whose_tensor_has_another_shape_is_422_naming_the_tensor()
    {
        var crafted = Crafted(TestModels.Checkpoint(), weights =>
        {
            // The first two dimensions swapped: as many bytes as before, so the file reads cleanly, but the wrong shape.
            var (rankAt, _) = FirstTensorRank(weights);
            var copy = weights.ToArray();
            Assert.True(copy[rankAt] >= 2 && copy[rankAt + 1] < 0x80 && copy[rankAt + 2] < 0x80 && copy[rankAt + 1] != copy[rankAt + 2]);
            (copy[rankAt + 1], copy[rankAt + 2]) = (copy[rankAt + 2], copy[rankAt + 1]);
            return copy;
        });
        using var response = await silo.Writer.PostAsync("/api/models/crafted-shape", SiloFixture.Checkpoint(crafted));
        var problem = await SiloFixture.AssertProblem(response, HttpStatusCode.UnprocessableEntity, "invalid-model");
        Assert.Contains(FirstTensorRank(Weights(TestModels.Checkpoint())).Name, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_model_name_keeps_its_architecture_across_versions()
    {
        using (var first = await silo.Writer.PostAsync("/api/models/one-architecture", SiloFixture.Checkpoint(TestModels.Checkpoint("kachuee"))))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var other = await silo.Writer.PostAsync("/api/models/one-architecture", SiloFixture.Checkpoint(TestModels.Checkpoint("resnet")));
        var problem = await SiloFixture.AssertProblem(other, HttpStatusCode.UnprocessableEntity, "invalid-model");
        Assert.Contains("kachuee", problem.GetProperty("detail").GetString());
        using (var next = await silo.Writer.PostAsync("/api/models/one-architecture", SiloFixture.Checkpoint(TestModels.Checkpoint("kachuee", seed: 4))))
            Assert.Equal(HttpStatusCode.Created, next.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/api/runs")]
    [InlineData("/api/runs/no-such-run")]
    [InlineData("/no/such/path")]
    [InlineData("/dashboard/")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = Secure.Client();
        using var response = await client.GetAsync(path);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy")).Split(';', StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ') + 1)..]);
        Assert.Equal("'self'", csp["script-src"]);
        Assert.Equal("'self'", csp["connect-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        // Only the Orleans dashboard, which sets inline styles, may; the page may not.
        if (!path.StartsWith("/dashboard", StringComparison.Ordinal)) Assert.Equal("'self'", csp["style-src"]);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Ten_thousand_reads_of_unknown_runs_are_404_and_leave_no_activation()
    {
        var management = silo.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var before = await RunActivations(management);
        var paths = new[] { "", "/maps", "/maps/reference/N", "/records/mitdb/100" };
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        await Parallel.ForAsync(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            using var response = await silo.Reader.GetAsync($"/api/runs/unknown-{Guid.NewGuid():N}{paths[i % paths.Length]}");
            statuses.Add(response.StatusCode);
        });
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(before, await RunActivations(management));

        using var one = await silo.Reader.GetAsync("/api/runs/unknown-one");
        await SiloFixture.AssertProblem(one, HttpStatusCode.NotFound, "unknown-run");
    }

    [Fact]
    public async Task A_read_key_reads_but_cannot_write_and_a_write_key_does_both()
    {
        using var reader = Secure.Client(SecuritySilo.ReadKey);
        using (var list = await reader.GetAsync("/api/runs"))
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using (var create = await reader.PutAsJsonAsync("/api/runs/read-key-run", new { model = "none" }))
            await SiloFixture.AssertProblem(create, HttpStatusCode.Forbidden, "read-only-key");
        using (var upload = await reader.PostAsync("/api/models/read-key-model", SiloFixture.Checkpoint(TestModels.Checkpoint())))
            await SiloFixture.AssertProblem(upload, HttpStatusCode.Forbidden, "read-only-key");

        using var writer = Secure.Client(SiloFactory.ApiKey);
        using var created = await writer.PostAsync("/api/models/write-key-model", SiloFixture.Checkpoint(TestModels.Checkpoint()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/models/keyless", "application/json")]
    [InlineData("POST", "/api/models/keyless", "text/plain")]
    [InlineData("PUT", "/api/runs/keyless", "text/plain")]
    [InlineData("DELETE", "/api/runs/keyless", "application/json")]
    [InlineData("POST", "/api/no/such/route", "application/json")]
    public async Task A_keyless_write_is_401_whatever_its_content_type_or_route(string method, string path, string contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, contentType) };
        using var response = await silo.Reader.SendAsync(request);
        await SiloFixture.AssertProblem(response, HttpStatusCode.Unauthorized, "missing-api-key");
    }

    [Fact]
    public async Task Error_details_are_bounded_and_name_no_parameter()
    {
        var method = new string('m', 60_000);
        using var response = await silo.Writer.PutAsJsonAsync($"/api/runs/long-{Guid.NewGuid():N}"[..20], new { model = SiloFixture.Model, method });
        var problem = await SiloFixture.AssertProblem(response, HttpStatusCode.BadRequest, "invalid-argument");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.InRange(detail.Length, 1, Problems.MaxDetailLength);
        Assert.Contains("saliency method", detail);

        using var map = await silo.Reader.GetAsync($"/api/runs/{await silo.NewRunAsync()}/maps/reference/X");
        var mapProblem = await SiloFixture.AssertProblem(map, HttpStatusCode.BadRequest, "invalid-argument");
        Assert.DoesNotContain("(Parameter", mapProblem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(60_000)]
    public async Task A_long_request_target_gets_a_problem_json_414_from_the_real_server(int length)
    {
        using var client = Secure.Client();
        using var response = await client.GetAsync("/api/runs/" + new string('a', length));
        await SiloFixture.AssertProblem(response, HttpStatusCode.RequestUriTooLong, "uri-too-long");
    }

    [Fact]
    public async Task Failed_authentications_write_no_information_lines()
    {
        var category = typeof(ApiKeyAuthenticationHandler).FullName!;
        using var wrong = Secure.Client("wrong-key-" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < 5; i++)
        {
            using var response = await wrong.GetAsync("/api/runs");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Contains(Secure.OperatorLog.Lines, l => l.StartsWith("Information", StringComparison.Ordinal)); // the log does take Information lines
        Assert.DoesNotContain(Secure.OperatorLog.Lines, l => l.Contains(category, StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_client_holds_at_most_its_share_of_streams()
    {
        var run = await NewSecureRunAsync();
        using var client = Secure.Client();
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < SecuritySilo.StreamsPerClient; i++)
            {
                open.Add(await client.GetAsync($"/api/runs/{run}/maps/stream", HttpCompletionOption.ResponseHeadersRead));
                Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
            }
            using var refused = await client.GetAsync($"/api/runs/{run}/maps/stream", HttpCompletionOption.ResponseHeadersRead);
            await SiloFixture.AssertProblem(refused, HttpStatusCode.TooManyRequests, "too-many-client-streams");
        }
        finally
        {
            foreach (var response in open) response.Dispose();
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_stream_client_that_does_not_read_is_dropped_and_its_slot_comes_back()
    {
        var run = await NewSecureRunAsync();
        var limiter = Secure.Services.GetRequiredService<StreamLimiter>();
        await WaitFor(() => limiter.Open == 0, TimeSpan.FromSeconds(20), "earlier streams to close");

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048 };
        await socket.ConnectAsync(Secure.Endpoint);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /api/runs/{run}/maps/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        await WaitFor(() => limiter.Open == 1, TimeSpan.FromSeconds(20), "the stream to open");

        // Beats flow, so map events pile up behind the client that never reads, until one waits past the write timeout.
        using var writer = Secure.Client(SiloFactory.ApiKey);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var record = 0;
        while (limiter.Open > 0 && !stop.IsCancellationRequested)
            await HttpIngest.SendAsync(writer, run, "synthetic", HttpIngest.Synthetic(record++, seconds: 300), 720, flushEach: true);

        Assert.Equal(0, limiter.Open);
        Assert.Contains(Secure.OperatorLog.Lines, l => l.Contains("Dropped a class-map stream", StringComparison.Ordinal));
    }

    private static async Task<string> NewSecureRunAsync()
    {
        using var writer = Secure.Client(SiloFactory.ApiKey);
        using (var upload = await writer.PostAsync("/api/models/secure-model", SiloFixture.Checkpoint(TestModels.Checkpoint())))
            Assert.True(upload.IsSuccessStatusCode, $"upload: {(int)upload.StatusCode}");
        var run = $"secure-{Guid.NewGuid():N}"[..20];
        using var created = await writer.PutAsJsonAsync($"/api/runs/{run}", new { model = "secure-model" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return run;
    }

    private static async Task<int> RunActivations(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("RunGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    private static async Task WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {timeout} for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>The weights section of a checkpoint file (see Checkpoint's format).</summary>
    private static byte[] Weights(byte[] checkpoint)
    {
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(checkpoint.AsSpan(10, 4));
        return checkpoint[(14 + jsonLength + 8)..];
    }

    /// <summary>Position of the first tensor's rank byte and its name: entry count, name (length-prefixed), element type, rank.</summary>
    private static (int RankAt, string Name) FirstTensorRank(byte[] weights)
    {
        var at = 0;
        while ((weights[at++] & 0x80) != 0)
        {
        }
        var nameLength = weights[at++];
        var name = Encoding.UTF8.GetString(weights, at, nameLength);
        at += nameLength;
        while ((weights[at++] & 0x80) != 0)
        {
        }
        return (at, name);
    }

    /// <summary>A checkpoint with its weights changed and its header and hash made right again: only the weights are wrong.</summary>
    private static byte[] Crafted(byte[] checkpoint, Func<byte[], byte[]> change)
    {
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(checkpoint.AsSpan(10, 4));
        var metadata = JsonNode.Parse(checkpoint.AsSpan(14, jsonLength))!;
        var weights = change(Weights(checkpoint));
        metadata["weightsSha256"] = Convert.ToHexStringLower(SHA256.HashData(weights));
        var json = Encoding.UTF8.GetBytes(metadata.ToJsonString());
        var file = new byte[14 + json.Length + 8 + weights.Length];
        checkpoint.AsSpan(0, 10).CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), json.Length);
        json.CopyTo(file, 14);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(14 + json.Length), weights.Length);
        weights.CopyTo(file, 14 + json.Length + 8);
        return file;
    }
}
