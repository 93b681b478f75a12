using EcgOrleans.Grains.Hosting;
using EcgOrleans.Tests;
using YamlDotNet.RepresentationModel;

namespace EcgOrleans.Deploy.Tests;

public sealed class ManifestTests
{
    private static readonly string Deploy = Path.Combine(TestData.RepositoryRoot, "deploy");

    private static readonly Lazy<List<YamlMappingNode>> K8s = new(() =>
        [.. Directory.EnumerateFiles(Path.Combine(Deploy, "k8s"), "*.yaml").Order().SelectMany(Yaml.Documents)]);

    private static YamlMappingNode Object(string kind, string name) =>
        K8s.Value.Single(d => d.Text("kind") == kind && d.Text("metadata", "name") == name);

    private static YamlMappingNode SiloDeployment => Object("Deployment", "ecg-silo");

    private static YamlNode SiloContainer => SiloDeployment.Items("spec", "template", "spec", "containers").Single();

    [Fact]
    public void Every_manifest_parses_and_names_its_kind_version_and_namespace()
    {
        Assert.True(K8s.Value.Count >= 9, $"{K8s.Value.Count} documents");
        Assert.All(K8s.Value, d =>
        {
            Assert.False(string.IsNullOrEmpty(d.Text("apiVersion")));
            Assert.False(string.IsNullOrEmpty(d.Text("kind")));
            Assert.False(string.IsNullOrEmpty(d.Text("metadata", "name")));
            if (d.Text("kind") != "Namespace") Assert.Equal("ecg", d.Text("metadata", "namespace"));
        });
    }

    [Fact]
    public void Selectors_match_the_pod_labels_they_select()
    {
        var podLabels = SiloDeployment.Map("spec", "template", "metadata", "labels");
        Assert.Subset(podLabels.ToHashSet(), SiloDeployment.Map("spec", "selector", "matchLabels").ToHashSet());
        Assert.Subset(podLabels.ToHashSet(), Object("Service", "ecg-silo").Map("spec", "selector").ToHashSet());
        Assert.Subset(podLabels.ToHashSet(), Object("PodDisruptionBudget", "ecg-silo").Map("spec", "selector", "matchLabels").ToHashSet());

        var redis = Object("Deployment", "ecg-redis");
        Assert.Subset(redis.Map("spec", "template", "metadata", "labels").ToHashSet(), Object("Service", "ecg-redis").Map("spec", "selector").ToHashSet());
    }

    [Fact]
    public void The_service_exposes_the_gateway_and_the_web_page_on_declared_container_ports()
    {
        var containerPorts = SiloContainer.Items("ports").Select(p => p.Text("name")).ToHashSet();
        var targets = Object("Service", "ecg-silo").Items("spec", "ports").Select(p => p.Text("targetPort")).ToList();

        Assert.Contains("gateway", targets);
        Assert.Contains("http", targets);
        Assert.All(targets, t => Assert.Contains(t, containerPorts));
    }

    [Fact]
    public void Probes_use_the_health_endpoints_and_containers_request_resources()
    {
        Assert.Equal("/health/live", SiloContainer.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", SiloContainer.Text("readinessProbe", "httpGet", "path"));
        var deployments = K8s.Value.Where(d => d.Text("kind") == "Deployment");
        Assert.All(deployments.SelectMany(d => d.Items("spec", "template", "spec", "containers")), c =>
        {
            Assert.NotNull(c.Text("resources", "requests", "cpu"));
            Assert.NotNull(c.Text("resources", "requests", "memory"));
        });
        Assert.Equal("2", Object("PodDisruptionBudget", "ecg-silo").Text("spec", "minAvailable"));
    }

    [Fact]
    public void Orleans_Kubernetes_hosting_gets_its_labels_environment_and_RBAC()
    {
        var labels = SiloDeployment.Map("spec", "template", "metadata", "labels");
        Assert.Contains("orleans/serviceId", labels.Keys);
        Assert.Contains("orleans/clusterId", labels.Keys);
        var env = SiloContainer.Items("env").Select(e => e.Text("name")).ToHashSet();
        Assert.Superset(new HashSet<string?> { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" }, env);

        var account = SiloDeployment.Text("spec", "template", "spec", "serviceAccountName");
        var binding = K8s.Value.Single(d => d.Text("kind") == "RoleBinding");
        Assert.Contains(binding.Items("subjects"), s => s.Text("name") == account);
        var role = Object("Role", binding.Text("roleRef", "name")!);
        var verbs = role.Items("rules").Single().Items("verbs").Select(v => ((YamlScalarNode)v).Value).ToHashSet();
        Assert.Superset(new HashSet<string?> { "get", "watch", "list", "delete" }, verbs);
    }

    [Fact]
    public void Silo_settings_in_manifests_and_compose_name_real_options()
    {
        var known = typeof(EcgOptions).GetProperties().Select(p => p.Name).ToHashSet();
        var compose = Yaml.Documents(Path.Combine(Deploy, "compose.yaml")).Single();
        var composeEnv = new[] { "silo1", "silo2", "silo3" }.SelectMany(s => compose.Map("services", s, "environment").Keys);
        var k8sEnv = SiloContainer.Items("env").Select(e => e.Text("name")!);

        foreach (var name in composeEnv.Concat(k8sEnv).Where(n => n.StartsWith("Ecg__", StringComparison.Ordinal)))
        {
            var option = name["Ecg__".Length..].Split("__")[0];
            Assert.True(known.Contains(option) || option == "Api", $"{name} names no EcgOptions property");
        }
        Assert.Equal("kubernetes", SiloContainer.Items("env").Single(e => e.Text("name") == "Ecg__Clustering").Text("value"));
    }

    [Fact]
    public void Compose_runs_three_silos_on_Redis_and_Prometheus_scrapes_all_of_them()
    {
        var compose = Yaml.Documents(Path.Combine(Deploy, "compose.yaml")).Single();
        var silos = new[] { "silo1", "silo2", "silo3" };
        Assert.All(silos, s =>
        {
            var env = compose.Map("services", s, "environment");
            Assert.Equal("redis", env["Ecg__Clustering"]);
            Assert.Equal("redis", env["Ecg__Storage"]);
        });
        Assert.NotNull(compose.At("services", "grafana"));

        var prometheus = Yaml.Documents(Path.Combine(Deploy, "prometheus", "prometheus.yml")).Single();
        var targets = prometheus.Items("scrape_configs").Single().Items("static_configs").Single().Items("targets")
            .Select(t => ((YamlScalarNode)t).Value!.Split(':')[0]);
        Assert.Equal(silos, targets);
    }
}
