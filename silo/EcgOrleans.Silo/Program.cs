using EcgOrleans.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEcgSilo();

var app = builder.Build();
app.MapEcgSilo();
try
{
    await app.RunAsync();
}
catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
{
    // Told to stop (SIGTERM, SIGINT) while still starting: the host has stopped what it started; a clean exit.
}

/// <summary>Entry point, visible to the API tests' WebApplicationFactory.</summary>
public partial class Program;
