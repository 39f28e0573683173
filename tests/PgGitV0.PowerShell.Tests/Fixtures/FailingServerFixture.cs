using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// A stand-in HistoryService whose GetCommit fails with the status code its ref names ("NotFound",
/// "AlreadyExists", ...), with a google.rpc.Status carrying ErrorInfo unless the ref ends in "/bare":
/// every gRPC status the module may meet, without needing the SQL layer to produce each. Its
/// ExportRepository streams a blob whose payload is not what its id (<see cref="CorruptSha"/>) says.
/// </summary>
public sealed class FailingServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string Endpoint { get; private set; } = "";

    /// <summary>The id of the blob "CREATE SCHEMA a;\n", which ExportRepository sends with another payload.</summary>
    public static string CorruptSha { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("blob 17\0CREATE SCHEMA a;\n"u8));

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        _app = builder.Build();
        _app.MapGrpcService<FailingHistoryService>();
        await _app.StartAsync();
        Endpoint = _app.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private sealed class FailingHistoryService : HistoryService.HistoryServiceBase
    {
        public override Task<Commit> GetCommit(GetCommitRequest request, ServerCallContext context)
        {
            var bare = request.Ref.EndsWith("/bare", StringComparison.Ordinal);
            var code = System.Enum.Parse<StatusCode>(bare ? request.Ref[..^"/bare".Length] : request.Ref);
            var message = $"{code} for '{request.Ref}'; do something about it";
            if (bare) throw new RpcException(new Grpc.Core.Status(code, message));
            var info = new ErrorInfo { Reason = "REASON_" + code.ToString().ToUpperInvariant(), Domain = "pggit.v0" };
            info.Metadata["ref"] = request.Ref;
            throw new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } }.ToRpcException();
        }

        public override async Task ExportRepository(ExportRepositoryRequest request, IServerStreamWriter<ExportItem> responseStream, ServerCallContext context)
        {
            var payload = Google.Protobuf.ByteString.CopyFromUtf8("CREATE SCHEMA b;\n");
            await responseStream.WriteAsync(new ExportItem { Object = new GitObject { Sha = CorruptSha, Type = "blob", Payload = payload } });
            await responseStream.WriteAsync(new ExportItem { HeadBranch = "main" });
        }
    }
}
