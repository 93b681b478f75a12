using System.Net;
using System.Text.Json;
using EcgOrleans.Abstractions;

namespace EcgOrleans.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class ModelApiTests(SiloFixture silo)
{
    [Fact]
    public async Task Upload_list_resolve_and_activate_model_versions()
    {
        var name = $"m-{Guid.NewGuid():N}"[..12];
        var first = TestModels.Checkpoint(seed: 11);

        using var created = await silo.Writer.PostAsync($"/api/models/{name}", SiloFixture.Checkpoint(first));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/models/{name}@1", created.Headers.Location?.OriginalString);
        using var again = await silo.Writer.PostAsync($"/api/models/{name}", SiloFixture.Checkpoint(first));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var second = await silo.Writer.PostAsync($"/api/models/{name}", SiloFixture.Checkpoint(TestModels.Checkpoint(seed: 12)));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        var versions = (await silo.GetAsync<ModelInfo[]>("/api/models")).Where(m => m.Name == name).ToList();
        Assert.Equal([(1, true), (2, false)], versions.Select(v => (v.Version, v.Active)));
        Assert.Equal(first.Length, versions[0].Bytes);
        Assert.Equal(("kachuee", "window"), (versions[0].Architecture, versions[0].Representation));
        Assert.Equal(1, (await silo.GetAsync<ModelInfo>($"/api/models/{name}")).Version);

        using var activate = await silo.Writer.PostAsync($"/api/models/{name}/versions/2/activate", null);
        Assert.Equal(HttpStatusCode.OK, activate.StatusCode);
        Assert.Equal(2, (await silo.GetAsync<ModelInfo>($"/api/models/{name}")).Version);
        Assert.True((await silo.GetAsync<ModelInfo>($"/api/models/{name}@2")).Active);
        Assert.False((await silo.GetAsync<ModelInfo>($"/api/models/{name}@1")).Active);
    }

    [Fact]
    public async Task Model_writes_without_a_valid_key_are_refused_and_change_nothing()
    {
        var name = $"m-{Guid.NewGuid():N}"[..12];
        using var noKey = await silo.Reader.PostAsync($"/api/models/{name}", SiloFixture.Checkpoint(TestModels.Checkpoint(seed: 21)));
        await SiloFixture.AssertProblem(noKey, HttpStatusCode.Unauthorized, "missing-api-key");
        Assert.Equal("ApiKey header=\"X-Api-Key\"", noKey.Headers.WwwAuthenticate.ToString());

        using var wrong = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{name}") { Content = SiloFixture.Checkpoint(TestModels.Checkpoint(seed: 21)) };
        wrong.Headers.Add("X-Api-Key", SiloFactory.ApiKey + "x");
        using var wrongKey = await silo.Reader.SendAsync(wrong);
        var problem = await SiloFixture.AssertProblem(wrongKey, HttpStatusCode.Unauthorized, "invalid-api-key");
        Assert.DoesNotContain(SiloFactory.ApiKey, problem.GetRawText());

        Assert.DoesNotContain(await silo.GetAsync<ModelInfo[]>("/api/models"), m => m.Name == name);
        using var activate = await silo.Reader.PostAsync($"/api/models/{SiloFixture.Model}/versions/1/activate", null);
        await SiloFixture.AssertProblem(activate, HttpStatusCode.Unauthorized, "missing-api-key");
    }

    [Fact]
    public async Task Bad_uploads_and_unknown_models_are_problem_details()
    {
        using var garbage = await silo.Writer.PostAsync("/api/models/garbage", SiloFixture.Checkpoint([1, 2, 3, 4, 5]));
        var invalid = await SiloFixture.AssertProblem(garbage, HttpStatusCode.UnprocessableEntity, "invalid-model");
        Assert.Contains("garbage", invalid.GetProperty("detail").GetString());

        using var json = await silo.Writer.PostAsync("/api/models/wrong-type", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await SiloFixture.AssertProblem(json, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");

        using var huge = await silo.Writer.PostAsync("/api/models/huge", SiloFixture.Checkpoint(new byte[SiloFactory.MaxCheckpointBytes + 1]));
        var tooLarge = await SiloFixture.AssertProblem(huge, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Contains(SiloFactory.MaxCheckpointBytes.ToString(), tooLarge.GetProperty("detail").GetString());

        using var badName = await silo.Writer.PostAsync("/api/models/bad%20name", SiloFixture.Checkpoint(TestModels.Checkpoint()));
        await SiloFixture.AssertProblem(badName, HttpStatusCode.BadRequest, "invalid-argument");

        using var unknown = await silo.Reader.GetAsync("/api/models/no-such-model");
        await SiloFixture.AssertProblem(unknown, HttpStatusCode.NotFound, "unknown-model");
        using var unknownVersion = await silo.Writer.PostAsync($"/api/models/{SiloFixture.Model}/versions/99/activate", null);
        var missing = await SiloFixture.AssertProblem(unknownVersion, HttpStatusCode.NotFound, "unknown-model");
        Assert.Contains($"{SiloFixture.Model}@99", missing.GetProperty("detail").GetString());

        var names = (await silo.GetAsync<ModelInfo[]>("/api/models")).Select(m => m.Name);
        Assert.DoesNotContain("garbage", names);
        Assert.DoesNotContain("huge", names);
    }
}
