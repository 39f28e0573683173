using PgGitV0.Server.Cli;
using PgGitV0.Server.Hosting;

// `keys add|list|revoke` manages API keys; anything else runs the server.
if (args.Length > 0 && args[0] == "keys")
    return await KeysCommand.RunAsync(args[1..], KeysCommand.DefaultConfiguration(), Console.Out, Console.Error);

var app = await PgGitServer.BuildAsync(args);
await app.RunAsync();
return 0;
