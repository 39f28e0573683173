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
/// every gRPC status the module may meet, without needing the SQL layer to produce each.
/// </summary>
public sealed class FailingServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string Endpoint { get; private set; } = "";

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
    }
}
