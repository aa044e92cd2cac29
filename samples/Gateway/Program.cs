using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Listeners;
using Gateway.Routing;

// dotnet run --project samples/Gateway [-- --demo-traffic] [--Gateway:MetricsEnabled=false] [--Gateway:ManagementUrls=http://127.0.0.1:5081]
const string DemoTrafficSwitch = "--demo-traffic";
var demoTraffic = args.Contains(DemoTrafficSwitch);
var builder = GatewayApplication.CreateBuilder([.. args.Where(argument => argument != DemoTrafficSwitch)]);
builder.Services.AddSingleton<DemoTraffic>();
var app = GatewayApplication.Build(builder);
await app.StartAsync();

var listeners = app.Services.GetRequiredService<GatewayListeners>();
Console.WriteLine(StartupBanner.Render(
    listeners,
    app.Services.GetRequiredService<GatewayOptions>(),
    app.Services.GetRequiredService<ProviderDirectory>(),
    app.Services.GetRequiredService<ModelCatalog>()));

if (demoTraffic && listeners.PublicUrls.Count > 0)
{
    var traffic = app.Services.GetRequiredService<DemoTraffic>();
    var target = new Uri(GatewayListeners.ConnectableUrl(listeners.PublicUrls[0]) + "/");
    _ = Task.Run(() => traffic.RunAsync(target, app.Lifetime.ApplicationStopping));
}

await app.WaitForShutdownAsync();
