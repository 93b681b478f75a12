using System.Net;
using System.Net.Sockets;

namespace EcgOrleans.Tests;

/// <summary>Loopback ports for silos, gateways and HTTP servers that tests start.</summary>
public static class Ports
{
    /// <summary>A port nothing listens on right now (another process may take it before the caller binds it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
