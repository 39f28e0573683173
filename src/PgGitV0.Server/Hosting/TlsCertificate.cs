using System.Security.Cryptography.X509Certificates;

namespace PgGitV0.Server.Hosting;

/// <summary>
/// The optional server certificate: PGGIT_TLS_CERTIFICATE names a PKCS#12 file (.pfx/.p12, password in
/// PGGIT_TLS_PASSWORD) or a PEM certificate whose key is in PGGIT_TLS_KEY. Kestrel's own
/// Kestrel:Certificates settings work too.
/// </summary>
public static class TlsCertificate
{
    public static X509Certificate2? Load(IConfiguration configuration)
    {
        var path = configuration["PGGIT_TLS_CERTIFICATE"];
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (!File.Exists(path)) throw new FileNotFoundException($"PGGIT_TLS_CERTIFICATE '{path}' does not exist", path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".pfx" or ".p12")
            return X509CertificateLoader.LoadPkcs12FromFile(path, configuration["PGGIT_TLS_PASSWORD"]);
        var keyPath = configuration["PGGIT_TLS_KEY"]
            ?? throw new ArgumentException($"PGGIT_TLS_CERTIFICATE '{path}' is PEM; name its private key file in PGGIT_TLS_KEY");
        return X509Certificate2.CreateFromPemFile(path, keyPath);
    }
}
