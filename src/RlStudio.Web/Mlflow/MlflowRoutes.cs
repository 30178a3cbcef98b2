namespace RlStudio.Web.Mlflow;

/// <summary>A group of MLflow routes: a run-scoped key may call only what <see cref="RunScopedAccess"/> allows, and an <see cref="MlflowException"/> becomes MLflow's error answer.</summary>
public static class MlflowRoutes
{
    public static RouteGroupBuilder Group(IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).WithTags("MLflow").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                RunScopedAccess.Check(context.HttpContext, prefix);
                return await next(context);
            }
            catch (MlflowException e)
            {
                return e.ToResult();
            }
        });
}
