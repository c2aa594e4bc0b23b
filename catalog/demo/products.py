"""Demo products of the Trà Vinh booths. Certificates are written '<star>@<decision date>', newest last;
'p5' marks a potential 5-star decision (the province's 4★ while the national council decides). Dates are
fixed, so the demo is the same on every run; decisions older than 36 months show as expired."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoProduct:
    booth: str
    name: str
    group: str
    product_set: str
    price_vnd: int
    stock: int
    unit: str
    weight_g: int | None
    certificates: str
    blurb: str
    shelf_life_days: int | None = None
    dims: tuple | None = None  # (length, width, height) in cm
    gtin: bool = False  # give it a demo GTIN in the restricted 2xx range
    extra: dict = field(default_factory=dict)


P = DemoProduct
TCMN, FOOD, DRINK, HERB = "thu_cong_my_nghe", "thuc_pham", "do_uong", "duoc_lieu"

PRODUCTS = [
    # Hộ kinh doanh Trì Cảnh, Trà Cú: the 4★ bamboo salon set of the article, proposed for 5★.
    P("tri-canh", "Bộ salon tre Trì Cảnh", TCMN, "tcmn_gia_dung", 8_500_000, 3, "bộ", 28_000,
      "4@2022-10-12 p5@2025-09-15", "Bộ bàn và bốn ghế bằng tre già ngâm bùn, uốn nóng và ghép mộng thủ công, "
      "không dùng đinh.", dims=(160, 80, 75)),
    P("tri-canh", "Ghế đôn tre Trì Cảnh", TCMN, "tcmn_gia_dung", 450_000, 20, "cái", 3_000, "3@2024-08-20",
      "Ghế đôn tre tròn, mặt ghế đan nan cật, chịu lực tốt.", dims=(40, 40, 45)),
    P("tri-canh", "Kệ tre ba tầng", TCMN, "tcmn_gia_dung", 690_000, 0, "cái", 4_500, "3@2024-08-20",
      "Kệ tre ba tầng để sách, chậu cây hoặc đồ bếp.", dims=(60, 30, 90)),
    P("tri-canh", "Khay tre đan", TCMN, "tcmn_gia_dung", 120_000, 45, "cái", 400, "3@2025-03-05",
      "Khay tre đan mắt cáo đựng bánh mứt ngày Tết."),
    # HTX Dừa sáp Cầu Kè
    P("dua-sap-cau-ke", "Dừa sáp Cầu Kè loại 1", FOOD, "rau_cu_qua_tuoi", 150_000, 40, "trái", 1_500,
      "4@2021-11-18 p5@2024-12-18", "Dừa sáp đặc ruột, cơm dẻo như kem, đặc sản chỉ giồng cát Cầu Kè mới có.",
      shelf_life_days=20),
    P("dua-sap-cau-ke", "Dừa sáp sấy giòn", FOOD, "che_bien_rau_qua", 65_000, 120, "hộp", 200, "4@2025-06-10",
      "Cơm dừa sáp thái lát sấy giòn, béo và thơm.", shelf_life_days=180, gtin=True),
    P("dua-sap-cau-ke", "Thạch dừa sáp", FOOD, "che_bien_rau_qua", 45_000, 80, "hũ", 500, "3@2025-06-10",
      "Thạch dừa sáp ăn kèm chè và sữa chua.", shelf_life_days=30),
    P("dua-sap-cau-ke", "Nước cốt dừa sáp", FOOD, "che_bien_rau_qua", 55_000, 60, "chai", 330, "3@2024-03-22",
      "Nước cốt dừa sáp nấu chè, làm bánh.", shelf_life_days=90),
    # Bánh tét Trà Cuôn
    P("banh-tet-ut-hien", "Bánh tét Trà Cuôn nhân đậu xanh thịt mỡ", FOOD, "che_bien_gao", 120_000, 50, "đòn",
      1_200, "4@2024-11-05", "Nếp dẻo, đậu xanh bùi, thịt mỡ trong, gói lá chuối xiêm và luộc mười tiếng.",
      shelf_life_days=7),
    P("banh-tet-ut-hien", "Bánh tét Trà Cuôn nhân chuối", FOOD, "che_bien_gao", 90_000, 30, "đòn", 1_000,
      "3@2024-11-05", "Bánh tét nhân chuối xiêm chín cây, nếp ngọt thơm.", shelf_life_days=5),
    P("banh-tet-ut-hien", "Bánh tét lá cẩm Trà Cuôn", FOOD, "che_bien_gao", 110_000, 0, "đòn", 1_000,
      "3@2025-04-18", "Nếp nhuộm lá cẩm tím, nhân đậu xanh trứng muối.", shelf_life_days=7),
    P("banh-tet-ut-hien", "Bánh tét chay Trà Cuôn", FOOD, "che_bien_gao", 95_000, 25, "đòn", 1_000,
      "3@2025-04-18", "Bánh tét nhân đậu xanh và dừa, không dùng thịt.", shelf_life_days=7),
    # Kẹo dừa
    P("keo-dua-nam-lien", "Kẹo dừa sữa Năm Liên", FOOD, "banh_keo_mut", 45_000, 200, "hộp", 400, "4@2025-01-15",
      "Kẹo dừa sữa mềm, nấu từ nước cốt dừa tươi và mạch nha.", shelf_life_days=180, gtin=True),
    P("keo-dua-nam-lien", "Kẹo dừa lá dứa", FOOD, "banh_keo_mut", 45_000, 150, "hộp", 400, "3@2024-02-20",
      "Kẹo dừa thơm lá dứa tươi, màu xanh tự nhiên.", shelf_life_days=180),
    P("keo-dua-nam-lien", "Kẹo dừa sầu riêng", FOOD, "banh_keo_mut", 50_000, 90, "hộp", 400, "3@2024-02-20",
      "Kẹo dừa với cơm sầu riêng Ri6.", shelf_life_days=180),
    P("keo-dua-nam-lien", "Kẹo dừa đậu phộng", FOOD, "banh_keo_mut", 40_000, 12, "hộp", 400, "3@2024-06-05",
      "Kẹo dừa giòn với đậu phộng rang.", shelf_life_days=180),
    P("keo-dua-nam-lien", "Kẹo dừa ca cao", FOOD, "banh_keo_mut", 48_000, 70, "hộp", 400, "3@2021-03-10",
      "Kẹo dừa ca cao, chứng nhận năm 2021 đã hết hạn và đang chờ đánh giá lại.", shelf_life_days=180),
    # Mekong Xanh, Tiểu Cần
    P("mekong-xanh", "Chuối sấy dẻo Mekong Xanh", FOOD, "che_bien_rau_qua", 55_000, 300, "gói", 250,
      "4@2025-05-20", "Chuối xiêm chín sấy lạnh, dẻo ngọt tự nhiên, không thêm đường.", shelf_life_days=270,
      gtin=True),
    P("mekong-xanh", "Chuối sấy giòn", FOOD, "che_bien_rau_qua", 45_000, 250, "gói", 150, "3@2024-07-08",
      "Chuối sấy giòn chân không, ít dầu.", shelf_life_days=270, gtin=True),
    P("mekong-xanh", "Mít sấy giòn", FOOD, "che_bien_rau_qua", 60_000, 180, "gói", 200, "3@2024-07-08",
      "Mít Thái sấy chân không giòn rụm.", shelf_life_days=270, gtin=True),
    P("mekong-xanh", "Khoai lang sấy dẻo", FOOD, "che_bien_rau_qua", 50_000, 0, "gói", 250, "3@2023-01-12",
      "Khoai lang tím sấy dẻo, ăn vặt lành mạnh.", shelf_life_days=180),
    # HTX Thủy sản Long Hữu, Duyên Hải
    P("thuy-san-long-huu", "Tôm khô Long Hữu loại đặc biệt", FOOD, "thuy_hai_san", 650_000, 35, "gói", 500,
      "4@2024-09-25", "Tôm đất nuôi dưới tán rừng đước, luộc và phơi nắng, đỏ tự nhiên.", shelf_life_days=180),
    P("thuy-san-long-huu", "Khô cá kèo Long Hữu", FOOD, "thuy_hai_san", 280_000, 60, "gói", 500, "3@2024-09-25",
      "Cá kèo phơi một nắng, nướng than rất thơm.", shelf_life_days=120),
    P("thuy-san-long-huu", "Khô cá lóc một nắng", FOOD, "thuy_hai_san", 320_000, 40, "gói", 500, "3@2025-02-14",
      "Cá lóc đồng xẻ bướm, ướp muối nhạt, phơi một nắng.", shelf_life_days=90),
    P("thuy-san-long-huu", "Mắm ba khía Long Hữu", FOOD, "thuy_hai_san", 85_000, 70, "hũ", 500, "3@2025-02-14",
      "Ba khía rừng đước muối chua ngọt, trộn tỏi ớt.", shelf_life_days=60),
    # Mắm Ba Giàu
    P("mam-ba-giau", "Mắm cá lóc Ba Giàu", FOOD, "thuy_hai_san", 150_000, 80, "hũ", 500, "4@2024-10-30",
      "Mắm cá lóc ủ thính gạo rang sáu tháng, chưng hay kho đều ngon.", shelf_life_days=365),
    P("mam-ba-giau", "Mắm tôm chua Ba Giàu", FOOD, "thuy_hai_san", 95_000, 60, "hũ", 400, "3@2024-10-30",
      "Tôm đất muối với riềng, tỏi, đu đủ, ăn cùng thịt luộc.", shelf_life_days=90),
    P("mam-ba-giau", "Nước mắm cá cơm 30 độ đạm", FOOD, "nuoc_mam_gia_vi_long", 75_000, 100, "chai", 650,
      "3@2025-08-02", "Nước mắm nhĩ cá cơm than ủ chượp mười hai tháng.", shelf_life_days=720, gtin=True),
    P("mam-ba-giau", "Mắm ruốc xào sả ớt", FOOD, "thuy_hai_san", 60_000, 0, "hũ", 250, "3@2025-08-02",
      "Mắm ruốc xào sả ớt ăn liền với cơm nóng.", shelf_life_days=120),
    # Cốm dẹp Ao Bà Om
    P("com-dep-ao-ba-om", "Cốm dẹp Ao Bà Om", FOOD, "che_bien_gao", 60_000, 100, "gói", 500, "4@2025-10-20",
      "Nếp non rang trong nồi đất rồi giã bằng chày tay, món quà của lễ Ok Om Bok.", shelf_life_days=30),
    P("com-dep-ao-ba-om", "Cốm dẹp trộn dừa đường thốt nốt", FOOD, "che_bien_gao", 45_000, 50, "hộp", 300,
      "3@2024-05-16", "Cốm dẹp trộn dừa nạo và đường thốt nốt, ăn liền.", shelf_life_days=3),
    P("com-dep-ao-ba-om", "Bánh cốm dẹp nướng", FOOD, "che_bien_gao", 35_000, 40, "hộp", 250, "3@2024-05-16",
      "Bánh cốm dẹp ép khuôn và nướng giòn.", shelf_life_days=60),
    # Bánh ống
    P("banh-ong-sa-ray", "Bánh ống lá dứa Sa Ray", FOOD, "che_bien_gao", 50_000, 30, "hộp", 500, "3@2025-03-28",
      "Bánh ống bột gạo lá dứa hấp ống tre, kèm dừa nạo và muối mè.", shelf_life_days=2),
    P("banh-ong-sa-ray", "Bột bánh ống pha sẵn", FOOD, "che_bien_gao", 40_000, 80, "gói", 500, "3@2025-03-28",
      "Bột gạo lá dứa pha sẵn để làm bánh ống tại nhà.", shelf_life_days=180),
    P("banh-ong-sa-ray", "Bánh in Khmer nhân đậu xanh", FOOD, "banh_keo_mut", 45_000, 45, "hộp", 300,
      "3@2025-07-30", "Bánh in bột nếp rang nhân đậu xanh, dâng cúng dịp lễ Sene Dolta.", shelf_life_days=30),
    # Mật hoa dừa Long Hòa
    P("mat-hoa-dua-long-hoa", "Mật hoa dừa Long Hòa", FOOD, "nuoc_mam_gia_vi_long", 120_000, 90, "chai", 350,
      "4@2022-08-25 p5@2025-08-25", "Nhựa hoa dừa lấy lúc sáng sớm, cô đặc ở nhiệt độ thấp; chỉ số đường huyết "
      "thấp, không pha đường.", shelf_life_days=540, gtin=True),
    P("mat-hoa-dua-long-hoa", "Đường hoa dừa hữu cơ", FOOD, "gia_vi", 95_000, 60, "hũ", 300, "4@2025-08-25",
      "Đường hoa dừa dạng hạt, thay đường cát trong pha chế.", shelf_life_days=540),
    P("mat-hoa-dua-long-hoa", "Giấm hoa dừa", FOOD, "nuoc_mam_gia_vi_long", 55_000, 45, "chai", 550,
      "3@2024-04-11", "Giấm lên men tự nhiên từ mật hoa dừa.", shelf_life_days=720),
    # Rượu nếp Tiểu Cần
    P("ruou-tieu-can", "Rượu nếp than Tiểu Cần 29 độ", DRINK, "ruou_trang", 180_000, 60, "chai", 1_000,
      "4@2024-12-05", "Rượu nếp than ủ men lá ba tháng, màu tím tự nhiên. Chỉ bán cho người từ 18 tuổi.",
      shelf_life_days=1_800, gtin=True),
    P("ruou-tieu-can", "Rượu nếp cái hoa vàng 35 độ", DRINK, "ruou_trang", 150_000, 80, "chai", 1_000,
      "3@2024-12-05", "Rượu trắng nếp cái hoa vàng chưng cất hai lần. Chỉ bán cho người từ 18 tuổi.",
      shelf_life_days=1_800, gtin=True),
    P("ruou-tieu-can", "Rượu dừa Tiểu Cần", DRINK, "do_uong_co_con_khac", 220_000, 30, "trái", 1_200,
      "3@2025-05-09", "Rượu nếp ngâm trong trái dừa xiêm, vị ngọt thanh. Chỉ bán cho người từ 18 tuổi.",
      shelf_life_days=365),
    # Vĩnh Phát: nước dừa
    P("nuoc-dua-vinh-phat", "Nước dừa xiêm đóng chai", DRINK, "do_uong_khong_con", 25_000, 500, "chai", 380,
      "4@2025-02-27", "Nước dừa xiêm nguyên chất, tiệt trùng UHT, không đường.", shelf_life_days=270, gtin=True),
    P("nuoc-dua-vinh-phat", "Nước dừa xiêm thùng 24 chai", DRINK, "do_uong_khong_con", 540_000, 40, "thùng",
      9_500, "4@2025-02-27", "Thùng 24 chai nước dừa xiêm 330 ml.", shelf_life_days=270, dims=(40, 27, 22),
      gtin=True),
    P("nuoc-dua-vinh-phat", "Nước cốt dừa đóng hộp", FOOD, "che_bien_rau_qua", 32_000, 300, "hộp", 420,
      "3@2024-06-19", "Nước cốt dừa béo, dùng nấu cà ri, chè, bánh.", shelf_life_days=365, gtin=True),
    P("nuoc-dua-vinh-phat", "Sữa dừa ít đường", DRINK, "do_uong_khong_con", 28_000, 200, "chai", 330,
      "3@2025-09-09", "Sữa dừa tươi pha sẵn, ít đường.", shelf_life_days=180),
    # Trà thảo mộc Song Lộc
    P("tra-song-loc", "Trà mãng cầu xiêm túi lọc", DRINK, "do_uong_khong_con", 65_000, 150, "hộp", 40,
      "3@2024-09-03", "Lá và trái mãng cầu xiêm sấy lạnh, hộp 20 túi lọc.", shelf_life_days=540),
    P("tra-song-loc", "Trà rau má túi lọc", HERB, "tinh_dau_thao_duoc", 55_000, 160, "hộp", 50, "4@2025-06-24",
      "Rau má trồng trên giồng cát Châu Thành, sấy lạnh giữ màu xanh.", shelf_life_days=540),
    P("tra-song-loc", "Trà lá sen Song Lộc", HERB, "tinh_dau_thao_duoc", 60_000, 90, "hộp", 60, "3@2024-09-03",
      "Lá sen non sao khô, giúp ngủ ngon.", shelf_life_days=540),
    P("tra-song-loc", "Bột rau má nguyên chất", HERB, "tinh_dau_thao_duoc", 85_000, 0, "hũ", 100, "3@2025-06-24",
      "Bột rau má sấy lạnh nghiền mịn, pha với nước hoặc sữa.", shelf_life_days=365),
    # Dầu dừa Phước Hảo
    P("dau-dua-phuoc-hao", "Dầu dừa ép lạnh Phước Hảo", HERB, "my_pham_thao_duoc", 120_000, 100, "chai", 300,
      "4@2024-08-14", "Dầu dừa ép lạnh từ cơm dừa tươi, dưỡng da và tóc.", shelf_life_days=720, gtin=True),
    P("dau-dua-phuoc-hao", "Xà bông dầu dừa nghệ", HERB, "my_pham_thao_duoc", 45_000, 200, "bánh", 120,
      "3@2024-08-14", "Xà bông thủ công từ dầu dừa và tinh bột nghệ.", shelf_life_days=720),
    P("dau-dua-phuoc-hao", "Tinh dầu sả chanh", HERB, "tinh_dau_thao_duoc", 90_000, 70, "chai", 80,
      "3@2025-10-02", "Tinh dầu sả chanh chưng cất hơi nước, đuổi muỗi, khử mùi.", shelf_life_days=1_080),
    P("dau-dua-phuoc-hao", "Dầu gội bồ kết dầu dừa", HERB, "my_pham_thao_duoc", 110_000, 40, "chai", 330,
      "4@2025-11-12", "Dầu gội bồ kết, vỏ bưởi và dầu dừa.", shelf_life_days=540),
    # Lục bình Hiệp Mỹ
    P("luc-binh-hiep-my", "Giỏ lục bình đan tay", TCMN, "tcmn_gia_dung", 180_000, 35, "cái", 600, "3@2024-03-15",
      "Giỏ lục bình phơi khô, đan tay có quai xách.", dims=(30, 30, 25)),
    P("luc-binh-hiep-my", "Thảm lục bình tròn 1,2 m", TCMN, "tcmn_gia_dung", 350_000, 15, "tấm", 2_500,
      "3@2024-03-15", "Thảm lục bình tròn trải sàn phòng khách.", dims=(120, 120, 1)),
    P("luc-binh-hiep-my", "Hộp lục bình có nắp", TCMN, "tcmn_gia_dung", 150_000, 25, "cái", 500, "3@2025-05-27",
      "Hộp lục bình đựng đồ, khung tre chắc chắn.", dims=(35, 25, 20)),
    # Gáo dừa Ba Tâm
    P("gao-dua-ba-tam", "Bộ chén muỗng gáo dừa", TCMN, "tcmn_gia_dung", 150_000, 60, "bộ", 300, "3@2024-10-08",
      "Hai chén, hai muỗng gáo dừa đánh bóng, phủ dầu dừa an toàn thực phẩm."),
    P("gao-dua-ba-tam", "Đèn ngủ gáo dừa", TCMN, "tcmn_gia_dung", 280_000, 20, "cái", 700, "4@2025-07-15",
      "Đèn ngủ khoan hoa văn trên gáo dừa, ánh sáng vàng ấm.", dims=(20, 20, 30)),
    P("gao-dua-ba-tam", "Ly gáo dừa có quai", TCMN, "tcmn_gia_dung", 60_000, 100, "cái", 120, "3@2024-10-08",
      "Ly gáo dừa có quai gỗ dừa."),
    # Du lịch cộng đồng Cồn Chim
    P("con-chim", "Tour trải nghiệm một ngày ở Cồn Chim", "du_lich", "du_lich_cong_dong", 350_000, 0, "người",
      None, "3@2025-09-30", "Chèo xuồng quanh cồn, tát mương bắt cá, làm bánh xèo và ăn trưa cùng nhà dân."),
    # Tôm khô Ba Động
    P("tom-kho-ba-dong", "Tôm khô Ba Động loại 1", FOOD, "thuy_hai_san", 700_000, 25, "gói", 500, "3@2024-06-27",
      "Tôm biển Ba Động phơi nắng gió, thịt chắc, ngọt.", shelf_life_days=180),
    P("tom-kho-ba-dong", "Tôm khô nhí Ba Động", FOOD, "thuy_hai_san", 380_000, 40, "gói", 500, "3@2024-06-27",
      "Tôm nhí phơi khô nấu canh, rang me.", shelf_life_days=180),
    # Đường thốt nốt Tập Sơn
    P("thot-not-tap-son", "Đường thốt nốt Tập Sơn", FOOD, "gia_vi", 70_000, 90, "kg", 1_000, "3@2025-01-22",
      "Nước thốt nốt nấu trên bếp củi thành đường bánh thơm mùi khói.", shelf_life_days=365),
    P("thot-not-tap-son", "Nước thốt nốt tươi đóng chai", DRINK, "do_uong_khong_con", 20_000, 60, "chai", 350,
      "3@2025-01-22", "Nước thốt nốt lấy trong ngày, thanh trùng và ướp lạnh.", shelf_life_days=5),
    # Gạo sạch Càng Long
    P("gao-cang-long", "Gạo thơm Càng Long túi 5 kg", FOOD, "gao_ngu_coc", 135_000, 200, "túi", 5_000,
      "4@2025-04-03", "Gạo thơm hạt dài, cơm mềm dẻo, canh tác giảm phân giảm thuốc.", shelf_life_days=365,
      gtin=True),
    P("gao-cang-long", "Gạo lứt đỏ Càng Long", FOOD, "gao_ngu_coc", 75_000, 120, "túi", 2_000, "3@2024-11-20",
      "Gạo lứt đỏ giàu chất xơ, đóng túi hút chân không.", shelf_life_days=365, gtin=True),
    P("gao-cang-long", "Bánh phồng gạo lứt", FOOD, "che_bien_gao", 35_000, 80, "gói", 200, "3@2024-11-20",
      "Bánh phồng gạo lứt nướng không dầu.", shelf_life_days=180),
    # Mật ong rừng Long Khánh
    P("mat-ong-long-khanh", "Mật ong rừng đước Long Khánh", FOOD, "mat_ong", 250_000, 40, "chai", 700,
      "4@2024-07-31", "Mật ong từ kèo ong gác trong rừng đước, vị ngọt thanh hơi mặn mòi.", shelf_life_days=720),
    P("mat-ong-long-khanh", "Mật ong hoa dừa", FOOD, "mat_ong", 180_000, 30, "chai", 700, "3@2024-07-31",
      "Mật ong ong nội nuôi trong vườn dừa.", shelf_life_days=720),
    # Chả cá Thanh Bình
    P("cha-ca-thanh-binh", "Chả cá thác lác Thanh Bình", FOOD, "thuy_hai_san", 180_000, 50, "kg", 1_000,
      "3@2024-12-12", "Chả cá thác lác quết tay, dai giòn, bảo quản đông lạnh.", shelf_life_days=90),
    P("cha-ca-thanh-binh", "Chả cá lóc quết tay", FOOD, "thuy_hai_san", 220_000, 0, "kg", 1_000, "3@2025-03-19",
      "Chả cá lóc đồng quết với thì là, chiên hoặc nấu canh.", shelf_life_days=90),
]
