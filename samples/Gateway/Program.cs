using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

// dotnet run --project samples/Gateway [-- --demo-traffic] [--Gateway:MetricsEnabled=false]
const string DemoTrafficSwitch = "--demo-traffic";
var demoTraffic = args.Contains(DemoTrafficSwitch);
var builder = GatewayApplication.CreateBuilder([.. args.Where(argument => argument != DemoTrafficSwitch)]);
builder.Services.AddSingleton<DemoTraffic>();
var app = GatewayApplication.Build(builder);
await app.StartAsync();

var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToArray();
Console.WriteLine(StartupBanner.Render(
    addresses,
    app.Services.GetRequiredService<GatewayOptions>(),
    app.Services.GetRequiredService<ProviderDirectory>(),
    app.Services.GetRequiredService<ModelCatalog>()));

if (demoTraffic && addresses.Length > 0)
{
    var traffic = app.Services.GetRequiredService<DemoTraffic>();
    _ = Task.Run(() => traffic.RunAsync(new Uri(addresses[0].TrimEnd('/') + "/"), app.Lifetime.ApplicationStopping));
}

await app.WaitForShutdownAsync();
