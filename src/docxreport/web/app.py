"""The workbench's pages: each calls what the command line calls, and holds no report logic.

概览 and 检查 read the year as ``docxreport check`` does; 收表 files what was dropped
as ``docxreport collect`` does; 生成, 更新数字 and 确认表 run ``build``, ``refresh``
and ``confirm`` themselves; 下载 serves files by an id from an index of the output
and input folders, never by a path taken from the request.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from docxreport.errors import InputError
from docxreport.web import downloads, findings
from docxreport.web.commands import COMMANDS, collect_args, command_args
from docxreport.web.jobs import Busy, Runs
from docxreport.web.security import CSRF_FIELD, Guard, check_form_token, form_token
from docxreport.web.uploads import MAX_REQUEST, stage_uploads
from docxreport.web.workspace import STEPS, Workspace

HERE = Path(__file__).parent
NAV = (
    ("/", "概览"),
    ("/collect", "收表"),
    ("/check", "检查"),
    ("/run", "生成与更新"),
    ("/files", "下载"),
)


def create_app(workspace: Workspace, token: str, port: int | None = None) -> Starlette:
    """The workbench for ``workspace``; ``port`` None accepts any port (tests)."""
    pages = Jinja2Templates(directory=HERE / "templates")
    runs = Runs(Path.cwd())

    def page(request: Request, name: str, status_code: int = 200, **context) -> Response:
        context.update(
            nav=NAV,
            path=request.url.path,
            csrf=form_token(token),
            csrf_field=CSRF_FIELD,
            running=next((r for r in runs.runs.values() if r.running), None),
        )
        return pages.TemplateResponse(request, name, context, status_code=status_code)

    async def posted(request: Request) -> dict:
        form = await request.form(max_files=200, max_fields=50)
        if not check_form_token(token, form.get(CSRF_FIELD)):  # type: ignore[arg-type]
            raise HTTPException(403, "表单已过期，请刷新页面后重试。")
        return form  # type: ignore[return-value]

    async def overview(request: Request) -> Response:
        view = await run_in_threadpool(workspace.overview)
        return page(request, "overview.html", view=view, steps=STEPS)

    async def check(request: Request) -> Response:
        view = await run_in_threadpool(workspace.overview)
        chosen = findings.Filter.of(request.query_params)
        table = findings.table(view, chosen)
        return page(request, "check.html", view=view, table=table, chosen=chosen)

    async def check_download(request: Request) -> Response:
        school = request.query_params.get("school")
        try:
            data, name, kind = await run_in_threadpool(findings.download, workspace, school)
        except LookupError:
            raise HTTPException(404, f"学校名册中没有“{school}”。") from None
        return Response(data, media_type=kind, headers=_attachment(name))

    async def collect_page(request: Request) -> Response:
        return page(request, "collect.html")

    async def collect(request: Request) -> Response:
        form = await posted(request)
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not files:
            return page(request, "collect.html", problem="没有选择文件。")
        staging = Path(tempfile.mkdtemp(prefix="docxreport-upload-"))
        staged, refused = await stage_uploads(files, staging)
        if not staged:
            shutil.rmtree(staging, ignore_errors=True)
            return page(request, "collect.html", refused=refused)
        notes = [f"未接收：{line}" for line in refused]
        return start(request, "收表", collect_args(workspace.folders, staged), notes, staging)

    def start(request: Request, title: str, args: list[str], notes=None, scratch=None) -> Response:
        try:
            started = runs.start(title, args, notes, scratch)
        except Busy as busy:
            return page(
                request,
                "problem.html",
                409,
                message=f"“{busy}”还在运行，请等它结束后再开始新的操作。",
            )
        return RedirectResponse(f"/runs/{started.id}", 303)

    async def run_page(request: Request) -> Response:
        view = await run_in_threadpool(workspace.overview)
        return page(request, "run.html", view=view, commands=COMMANDS, last=runs.latest())

    async def run(request: Request) -> Response:
        form = await posted(request)
        name = request.path_params["command"]
        if name not in COMMANDS:
            raise HTTPException(404, "没有这个操作。")
        return start(request, COMMANDS[name].title, command_args(name, workspace.folders, form))

    def _run_of(request: Request):
        found = runs.get(request.path_params["run_id"])
        if found is None:
            raise HTTPException(404, "没有这次运行的记录（工作台重新启动过）。")
        return found

    async def run_status(request: Request) -> Response:
        found = _run_of(request)
        if not found.running:
            workspace.forget()
        return page(request, "runstatus.html", run=found)

    async def run_json(request: Request) -> Response:
        return JSONResponse(_run_of(request).as_json())

    async def files(request: Request) -> Response:
        index = await run_in_threadpool(downloads.index, workspace)
        return page(request, "files.html", groups=downloads.grouped(index))

    async def download(request: Request) -> Response:
        index = await run_in_threadpool(downloads.index, workspace)
        entry = index.get(request.path_params["file_id"])
        if entry is None:
            raise HTTPException(404, "文件不存在或已被移走，请刷新下载页。")
        return FileResponse(entry.path, filename=entry.path.name)

    async def download_zip(request: Request) -> Response:
        group = request.path_params["group"]
        index = await run_in_threadpool(downloads.index, workspace)
        chosen = [e for e in index.values() if e.group == group]
        if not chosen:
            raise HTTPException(404, "这一类文件还没有生成。")
        data = await run_in_threadpool(_zip, chosen)
        name = f"{downloads.GROUP_TITLES.get(group, group)}（{workspace.year()}）.zip"
        return Response(data, media_type="application/zip", headers=_attachment(name))

    async def problem(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            status, message = exc.status_code, exc.detail
        else:
            status, message = 400, str(exc)
        return page(request, "problem.html", message=message, status_code=status)

    routes = [
        Route("/", overview),
        Route("/check", check),
        Route("/check/download", check_download),
        Route("/collect", collect_page),
        Route("/collect", collect, methods=["POST"]),
        Route("/run", run_page),
        Route("/run/{command}", run, methods=["POST"]),
        Route("/runs/{run_id}", run_status),
        Route("/runs/{run_id}/status", run_json),
        Route("/files", files),
        Route("/files/{file_id}", download),
        Route("/zip/{group}", download_zip),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=token, port=port, max_body=MAX_REQUEST)],
        exception_handlers={HTTPException: problem, InputError: problem},
        lifespan=_lifespan(runs),
    )
    app.state.runs = runs
    return app


def _lifespan(runs: Runs):
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        runs.stop_all()

    return lifespan


def _attachment(name: str) -> dict[str, str]:
    from urllib.parse import quote

    return {"content-disposition": f"attachment; filename*=utf-8''{quote(name)}"}


def _zip(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for e in entries:
            z.write(e.path, e.path.name)
    return buffer.getvalue()
