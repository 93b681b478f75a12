using EcgOrleans.Grains.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.AddEcgOrleans(builder.Configuration));

var app = builder.Build();
app.MapGet("/", () => Results.Text("EcgOrleans silo"));
app.Run();

/// <summary>Entry point, visible to the API tests' WebApplicationFactory.</summary>
public partial class Program;
