using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace EcgOrleans.Grains.Hosting;

/// <summary>
/// The "Ecg:Tls" section: the certificate this process presents and the certificate authority its peers' certificates
/// must chain to. Configured (a certificate set), every silo link and gateway connection is mutual TLS.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>This process's certificate: a PEM file (key in <see cref="Key"/> or in the same file) or a PFX/PKCS#12 file.</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="Certificate"/>, when it is not in the certificate file.</summary>
    public string? Key { get; set; }

    /// <summary>Password of a PFX file or of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>PEM file of the certificate authority (or authorities) whose certificates are trusted as peers.</summary>
    public string? Ca { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate);
}

/// <summary>
/// Mutual TLS for Orleans links. Peers are authenticated by their chain to the configured CA (not by host name: silos
/// reach each other by IP address) and by role, through the certificate's extended key usage: a silo's certificate
/// carries Server Authentication (and Client Authentication, as it dials other silos); a client's carries only Client
/// Authentication. So a client certificate opens the gateway but neither the silo port nor a client's trust in a silo.
/// </summary>
public static class EcgTls
{
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>How long a peer may take over its TLS handshake before the connection is dropped.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Silo port and outbound silo links: silo certificates only; gateway: any certificate of the CA made for clients or silos.</summary>
    public static ISiloBuilder UseEcgTls(this ISiloBuilder silo, TlsSettings settings)
    {
        var certificate = LoadCertificate(settings);
        var authorities = LoadAuthorities(settings);
        var silos = Options(certificate, authorities, ServerAuthentication);
        var clients = Options(certificate, authorities, ClientAuthentication);
        return silo.Configure<SiloConnectionOptions>(o =>
        {
            o.ConfigureSiloInboundConnection(b => b.UseServerTls(silos));
            o.ConfigureSiloOutboundConnection(b => b.UseClientTls(silos));
            o.ConfigureGatewayInboundConnection(b => b.UseServerTls(clients));
        });
    }

    /// <summary>A client presents its certificate to the gateway and accepts only silo certificates of the CA.</summary>
    public static IClientBuilder UseEcgTls(this IClientBuilder client, TlsSettings settings)
    {
        var options = Options(LoadCertificate(settings), LoadAuthorities(settings), ServerAuthentication);
        return client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(b => b.UseClientTls(options)));
    }

    private static TlsOptions Options(X509Certificate2 certificate, X509Certificate2Collection authorities, string peerUsage) => new()
    {
        LocalCertificate = certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        RemoteCertificateValidation = (peer, _, errors) => IsTrusted(peer, errors, authorities, peerUsage),
        HandshakeTimeout = HandshakeTimeout,
    };

    /// <summary>
    /// True when <paramref name="peer"/> chains to one of <paramref name="authorities"/> and names <paramref name="usage"/>
    /// among its extended key usages. The platform's verdict on the chain (built against the system store) and on the host
    /// name is replaced by this one; a missing certificate is refused whatever the rest.
    /// </summary>
    public static bool IsTrusted(X509Certificate2? peer, SslPolicyErrors errors, X509Certificate2Collection authorities, string usage)
    {
        if (peer is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        if (!HasUsage(peer, usage)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        return chain.Build(peer);
    }

    private static bool HasUsage(X509Certificate2 certificate, string usage) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == usage));

    /// <summary>The configured certificate with its private key; a clear error naming the setting when it cannot be used.</summary>
    public static X509Certificate2 LoadCertificate(TlsSettings settings)
    {
        var path = settings.Certificate ?? throw new InvalidOperationException("Ecg:Tls:Certificate is not set");
        try
        {
            X509Certificate2 certificate;
            if (IsPem(path))
            {
                var key = string.IsNullOrWhiteSpace(settings.Key) ? null : settings.Key;
                certificate = string.IsNullOrEmpty(settings.Password)
                    ? X509Certificate2.CreateFromPemFile(path, key)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, settings.Password, key);
            }
            else
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, settings.Password);
            }
            if (!certificate.HasPrivateKey) throw new InvalidOperationException("it holds no private key");
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Ecg:Tls:Certificate '{path}' (key '{settings.Key ?? "in the same file"}') cannot be used: {e.Message}", e);
        }
    }

    /// <summary>The certificate authorities of Ecg:Tls:Ca; without them no peer could be trusted, so TLS without a CA is refused.</summary>
    public static X509Certificate2Collection LoadAuthorities(TlsSettings settings)
    {
        var path = settings.Ca;
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidOperationException("Ecg:Tls:Ca is not set: with Ecg:Tls:Certificate, name the PEM file of the CA that signs the silos' and clients' certificates");
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Ecg:Tls:Ca '{path}' cannot be read: {e.Message}", e);
        }
        if (authorities.Count == 0) throw new InvalidOperationException($"Ecg:Tls:Ca '{path}' holds no PEM certificate");
        return authorities;
    }

    private static bool IsPem(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[4096];
        var read = file.Read(start);
        return System.Text.Encoding.ASCII.GetString(start[..read]).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
