using EcgOrleans.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEcgSilo();

var app = builder.Build();
app.MapEcgSilo();
app.Run();

/// <summary>Entry point, visible to the API tests' WebApplicationFactory.</summary>
public partial class Program;
