using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using PgGitV0.Api;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task A_configured_pem_certificate_serves_grpc_over_tls()
    {
        var folder = Directory.CreateTempSubdirectory("pggit-tls-");
        try
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certificatePath = Path.Combine(folder.FullName, "server.crt");
            var keyPath = Path.Combine(folder.FullName, "server.key");
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

            await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
            {
                ["urls"] = "https://127.0.0.1:0",
                ["PGGIT_TLS_CERTIFICATE"] = certificatePath,
                ["PGGIT_TLS_KEY"] = keyPath,
            });
            Assert.StartsWith("https://", host.Address);

            string? presented = null;
            using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    SslOptions =
                    {
                        RemoteCertificateValidationCallback = (_, cert, _, _) =>
                        {
                            presented = cert?.GetCertHashString();
                            return presented == certificate.GetCertHashString();
                        },
                    },
                },
            });
            var page = await new BranchService.BranchServiceClient(ServerHost.Authorized(channel, host.ReaderKey)).ListBranchesAsync(new ListBranchesRequest());
            Assert.Empty(page.Branches);
            Assert.Equal(certificate.GetCertHashString(), presented);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
